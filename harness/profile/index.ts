export type { Profile, ProfileAgent, ProfileEngine } from './profile.ts';
export { buildProfileImages, checkProfileImages } from './build-images.ts';
export { loadProfile, PROFILE_MAX_BYTES } from './load-profile.ts';
export { imageReferenceProblem } from './image-reference.ts';
export { profileTarget } from './profile-target.ts';
