export * from './sixgate-error.ts';
