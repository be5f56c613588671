export type { Profile, ProfileAgent, ProfileEngine } from './profile.ts';
export { buildProfileImages } from './build-images.ts';
export { loadProfile } from './load-profile.ts';
export { profileTarget } from './profile-target.ts';
