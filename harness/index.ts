// The one public entry point: suites and external users import from here only.
export * from './errors/index.ts';
export { main } from './cli.ts';
export * from './address/index.ts';
export type { Io, Command } from './cli/command.ts';
export * from './matrix/index.ts';
export { checkCall, checkListensOn } from './matrix/check.ts';
export { toJunit } from './report/junit.ts';
export { toTap } from './report/tap.ts';
export { readResults, readResultsFile } from './report/results-file.ts';
export {
  renderJson,
  ResultsFileError,
  RESULTS_MAX_BYTES,
  RESULTS_SCHEMA_FILE,
  RESULTS_SCHEMA_ID,
} from './report/json.ts';
export { toGithub, escapeData, escapeProperty, ANNOTATIONS_MAX } from './report/github.ts';
export {
  REPORTERS,
  DEFAULT_REPORTERS,
  parseReporters,
  writeReports,
  ReportWriteError,
  type ReporterSpec,
} from './report/index.ts';
export { summarize } from './report/summary.ts';
export { toHtml } from './report/html.ts';
export { judge, certificationPlan, CERTIFY_MODES, type PlannedResult } from './certify/verdict.ts';
export { BUNDLE_FILES, BUNDLE_LIMITS, MANIFEST } from './certify/bundle.ts';
export type * from './rpc/contract.ts';
export type * from './providers/contract.ts';
export type * from './probe/contract.ts';
export {
  startTopology,
  attachTopology,
  type AttachedTopology,
  type StartedFor,
  type TopologyOptions,
  ProbeError,
  ProbeChannelClosedError,
} from './providers/index.ts';
export {
  ensureImage,
  pruneImages,
  imageTag,
  programs,
  PRUNE_GRACE_MS,
  ImageBuildError,
  type BuiltImage,
} from './images/index.ts';
export {
  clientFor,
  dockerClient,
  dockerFacts,
  parseDockerHost,
  VERSION_TIMEOUT_MS,
} from './providers/docker/client.ts';
export {
  PROVIDERS,
  isProviderId,
  pickProvider,
  providerChoices,
  findRuntime,
  identifyRuntime,
  reachableRuntimes,
  surveyRuntimes,
  runtimeWhere,
  type ReachableRuntime,
  type RuntimeSurvey,
  type PickedProvider,
  type ProviderChoice,
  type FoundRuntime,
} from './providers/index.ts';
export { NETWORK_MODES } from './providers/contract.ts';
export { methodFromInspect, NATIVE_IPV4_AIM } from './providers/docker/ipv6-only.ts';
export { waitListening } from './providers/docker/start-host.ts';
export { dropRecordCopy, readRecordCopy, saveRecordCopy } from './providers/docker/record-cache.ts';
export type { RunRecord } from './providers/docker/attach.ts';
export {
  ACCOUNT_FILE_LIMIT,
  containerOwner,
  ImageUserError,
  putFiles,
  type Owner,
} from './providers/docker/image-user.ts';
export {
  listRuns,
  removeRun,
  sweepDeadRuns,
  removeNetwork,
  removeContainer,
  type RunResources,
  type SweepReport,
} from './providers/docker/cleanup.ts';
export { RunOwner, Teardown, tracePhase } from './lifecycle/index.ts';
export {
  ownerLabel,
  runLabels,
  LABEL_RUN,
  LABEL_OWNER,
  LABEL_CREATED,
  LABEL_KEPT,
  LABEL_IMAGE,
} from './topology/index.ts';
export { viewRun, type RunView } from './lifecycle/runs.ts';
export * from './engine-client/index.ts';
export * from './reference/engine/index.ts';
export {
  createCa,
  issueCert,
  agentSans,
  CertRequestError,
  RuntimeBrokenError,
  selfCheckTls,
} from './tls/index.ts';
export type {
  CertificateAuthority,
  IssuedCert,
  IssueOptions,
  AgentSanInput,
  SanList,
  SelfCheckOptions,
  SelfCheckResult,
} from './tls/index.ts';
export {
  checkRunIsolation,
  runIsolation,
  type IsolationOptions,
  type RunIsolation,
} from './providers/docker/isolation.ts';
export {
  call,
  DEFAULT_CALL_TIMEOUT_MS,
  parseCall,
  parseResponse,
  serializeCall,
  serializeFault,
  serializeResponse,
  XmlRpcWireError,
  zoneInterface,
  interfaceOf,
  MAX_REPLY_BYTES,
  MAX_XML_DEPTH,
  MAX_XML_ELEMENTS,
  MAX_XML_NAME_LENGTH,
  MAX_XML_TEXT_LENGTH,
  RpcReplyTooLargeError,
} from './rpc/index.ts';
export type { MethodResponse, XmlRpcFault, XmlRpcValue } from './rpc/index.ts';
export {
  lineChannel,
  MAX_PROBE_LINE_BYTES,
  ProbeReplyTooLargeError,
  type LineChannel,
} from './probe/channel.ts';
export {
  clip,
  DIAGNOSTICS_MAX_BYTES,
  escapeControls,
  formatBytes,
  LOG_TAIL_MAX_BYTES,
  MESSAGE_MAX_BYTES,
  snippet,
} from './text/quote.ts';
export {
  startLocalAgent,
  freePort,
  REFERENCE_AGENT_PROGRAM,
  renderAgentConfig,
  parseAgentConfig,
  agentPaths,
  AgentConfigError,
  AgentStartError,
  NETWORK_ERRORS,
} from './reference/agent/index.ts';
export type {
  LocalAgent,
  LocalAgentOptions,
  AgentConfig,
  AgentPaths,
} from './reference/agent/index.ts';
export * from './profile/index.ts';
export * from './engine-checks/index.ts';
export {
  runJob,
  exitCodeOf,
  selectCells,
  parseShard,
  engineCorpusIds,
  MODES,
  type JobOptions,
  type JobOutcome,
  type JobHooks,
  type Shard,
  type Selection,
} from './job/index.ts';
export type {
  RunReport,
  RunSelection,
  Reporter,
  Verdict as CertificationVerdict,
} from './report/contract.ts';
