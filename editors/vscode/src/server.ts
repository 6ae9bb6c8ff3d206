// How to run `secls serve`, from the extension's settings.
import type { Executable } from 'vscode-languageclient/node';

export interface ServerSettings {
  path: string;
  interpreter: string;
}

export function serverExecutable(settings: ServerSettings): Executable {
  if (settings.path) {
    return { command: settings.path, args: ['serve'] };
  }
  if (settings.interpreter) {
    return { command: settings.interpreter, args: ['-m', 'secls', 'serve'] };
  }
  return { command: 'secls', args: ['serve'] };
}
