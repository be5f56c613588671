export {
  planTopology,
  newRunId,
  randomUlaPrefix,
  type TopologyPlan,
  type PlannedHost,
} from './plan.ts';
export { runLabels, ownerIsDead, LABEL_RUN, LABEL_OWNER, LABEL_CREATED } from './labels.ts';
