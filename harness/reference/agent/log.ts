/** One line per event on stderr: the launcher and `docker logs` read the same stream. */
export type AgentLog = (event: string) => void;

export function stderrLog(prefix = 'agent'): AgentLog {
  return (event) => process.stderr.write(`${new Date().toISOString()} ${prefix}: ${event}\n`);
}
