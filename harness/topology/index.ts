export {
  planTopology,
  newRunId,
  randomUlaPrefix,
  type TopologyPlan,
  type PlannedHost,
  ENGINE_KEY,
  DEFAULT_ENGINE_PORT,
} from './plan.ts';
export { runLabels, ownerIsDead, LABEL_RUN, LABEL_OWNER, LABEL_CREATED } from './labels.ts';
