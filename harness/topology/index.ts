export {
  planTopology,
  newRunId,
  randomUlaPrefix,
  type TopologyPlan,
  type PlannedHost,
  ENGINE_KEY,
  CONTROL_ENGINE_KEY,
  DEFAULT_ENGINE_PORT,
} from './plan.ts';
export {
  runLabels,
  ownerIsDead,
  ownerLabel,
  LABEL_RUN,
  LABEL_OWNER,
  LABEL_CREATED,
  LABEL_KEPT,
  LABEL_IMAGE,
} from './labels.ts';
