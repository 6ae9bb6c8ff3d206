// The VS Code client of `secls serve`: start it for Python and requirement files, show its state.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { ReviewDocuments, registerReviewDocuments, showReviewReport } from './review';
import { serverExecutable } from './server';
import { createStatusItem, showState } from './status';

let client: LanguageClient | undefined;

function initializationOptions(config: vscode.WorkspaceConfiguration): Record<string, unknown> {
  return {
    debounceMs: config.get<number>('debounceMs'),
    select: config.get<string[]>('select'),
    ignore: config.get<string[]>('ignore'),
    severity: config.get<Record<string, string>>('severity'),
    advisoryDb: config.get<string>('advisoryDb') || undefined,
    codeLens: config.get<boolean>('codeLens'),
  };
}

function createClient(output: vscode.OutputChannel): LanguageClient {
  const config = vscode.workspace.getConfiguration('secls');
  const executable = serverExecutable({
    path: config.get<string>('path') ?? '',
    interpreter: config.get<string>('interpreter') ?? '',
  });
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    // The server's commands (secls.reviewWorkspace, ...) are registered by the client from the server's
    // executeCommandProvider; registering them here too would make the client fail to start.
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
      { scheme: 'file', pattern: '**/requirements*.txt' },
      { scheme: 'file', pattern: '**/pyproject.toml' },
    ],
    initializationOptions: initializationOptions(config),
    // The server pulls the `secls` section (workspace/configuration) when told it changed.
    synchronize: { configurationSection: 'secls' },
    outputChannel: output,
  };
  return new LanguageClient('secls', 'secls', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('secls');
  const status = createStatusItem();
  const reviews = new ReviewDocuments();
  context.subscriptions.push(output, status, reviews, registerReviewDocuments(reviews));

  const start = async (): Promise<void> => {
    client = createClient(output);
    client.onDidChangeState((event) => showState(status, event.newState));
    try {
      await client.start();
    } catch (error) {
      output.appendLine(`secls: cannot start the server: ${error}`);
      void vscode.window.showErrorMessage('secls: the language server did not start (see Output › secls).');
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('secls.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('secls.showReviewReport', () => showReviewReport(client, reviews)),
    vscode.commands.registerCommand('secls.restart', async () => {
      await client?.dispose();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // How the server is started, or its initializationOptions, changed: restart it.
      if (['path', 'interpreter', 'debounceMs'].some((key) => event.affectsConfiguration(`secls.${key}`))) {
        await vscode.commands.executeCommand('secls.restart');
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.dispose();
}
