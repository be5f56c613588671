export {
  ensureImage,
  imageExists,
  pruneImages,
  imageTag,
  PRUNE_GRACE_MS,
  IMAGE_REPO,
  type BuiltImage,
} from './build.ts';
export { ImageBuildError } from './errors.ts';
export { availablePrograms, programPath, programs } from './programs.ts';
