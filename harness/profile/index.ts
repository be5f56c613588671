export type { Profile, ProfileAgent } from './profile.ts';
export { loadProfile } from './load-profile.ts';
export { profileTarget } from './profile-target.ts';
