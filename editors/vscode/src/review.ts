// "secls: Review report": ask the server for the active document's review and show it as a Markdown preview.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';

export const SERVER_COMMAND = 'secls.reviewReport';
const SCHEME = 'secls-review';

// Read-only virtual documents that hold the reports, so closing one never asks to save it.
export class ReviewDocuments implements vscode.TextDocumentContentProvider {
  private readonly reports = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? '';
  }

  // The virtual document of a source document's report, with this content.
  show(source: vscode.Uri, markdown: string): vscode.Uri {
    const name = source.path.split('/').pop() || 'document';
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${name}.review.md`, query: source.toString() });
    this.reports.set(uri.toString(), markdown);
    this.changed.fire(uri);
    return uri;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerReviewDocuments(documents: ReviewDocuments): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(SCHEME, documents);
}

export async function showReviewReport(client: LanguageClient | undefined, documents: ReviewDocuments): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'python') {
    void vscode.window.showWarningMessage('secls: open a Python file to review it.');
    return;
  }
  if (!client?.isRunning()) {
    void vscode.window.showErrorMessage('secls: the language server is not running (see Output › secls).');
    return;
  }
  const source = editor.document.uri;
  try {
    const markdown = await client.sendRequest(ExecuteCommandRequest.type, {
      command: SERVER_COMMAND, arguments: [source.toString()],
    });
    if (typeof markdown !== 'string') {
      throw new Error('the server sent no report');
    }
    await vscode.commands.executeCommand('markdown.showPreview', documents.show(source, markdown));
  } catch (error) {
    void vscode.window.showErrorMessage(`secls: review report failed: ${error instanceof Error ? error.message : error}`);
  }
}
