// The status bar item: the server's state; a click shows the output channel.
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';

const LABELS: Record<State, string> = {
  [State.Starting]: '$(sync~spin) secls',
  [State.Running]: '$(shield) secls',
  [State.Stopped]: '$(error) secls',
};

export function createStatusItem(): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('secls.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'secls';
  item.command = 'secls.showOutput';
  showState(item, State.Starting);
  item.show();
  return item;
}

export function showState(item: vscode.StatusBarItem, state: State): void {
  item.text = LABELS[state];
  item.tooltip = `secls language server: ${State[state].toLowerCase()}`;
  item.backgroundColor = state === State.Stopped
    ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
}
