import { SixgateError } from '../errors/index.ts';

export class ImageBuildError extends SixgateError {
  constructor(message: string, cause?: unknown, hint?: string) {
    super('SIXGATE_IMAGE_BUILD', `image build: ${message}`, {
      cause,
      hint: hint ?? 'run `sixgate doctor` to see which step fails',
      exitCode: 3,
    });
  }
}
