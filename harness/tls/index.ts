export { createCa, issueCert } from './certs.ts';
export type { CertificateAuthority, IssuedCert, IssueOptions } from './certs.ts';
export { agentSans } from './agent-sans.ts';
export type { AgentSanInput, SanList } from './agent-sans.ts';
export { CertRequestError, RuntimeBrokenError } from './errors.ts';
export { selfCheckTls } from './self-check.ts';
export type { SelfCheckOptions, SelfCheckResult } from './self-check.ts';
