// Drive `secls serve` the way vscode-languageclient does (same protocol library, VS Code's
// capabilities: UTF-16, lazy code-action edits). SECLS names the executable (default: `secls`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import rpc from 'vscode-languageserver-protocol/node.js';

const SECLS = process.env.SECLS || 'secls';
const TIMEOUT_MS = 15000;
const FIX = 'Stop the patcher with addCleanup';
const CASE_PATH = new URL('../../../tests/editors/volume_case.py', import.meta.url);
const CASE = readFileSync(CASE_PATH, 'utf8');
const START = '        self.label = "😀 volume 🚀"; self.getcwd = self.patcher.start()\n';
const FIXED = CASE.replace(START, START + '        self.addCleanup(self.patcher.stop)\n');
const URI = pathToFileURL('/tmp/secls-vscode-test/test_volume.py').href;

// The `secls` section as VS Code answers workspace/configuration with the contributed defaults.
const MANIFEST = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const DEFAULT_SETTINGS = Object.fromEntries(Object.entries(MANIFEST.contributes.configuration.properties)
  .map(([key, property]) => [key.replace(/^secls\./, ''), property.default]));

const CAPABILITIES = {
  general: { positionEncodings: ['utf-16'] },
  workspace: { configuration: true, workspaceEdit: { documentChanges: true } },
  textDocument: {
    synchronization: { didSave: true },
    publishDiagnostics: { versionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: {
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } },
    },
  },
};

function within(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms waiting for ${what}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// The server as a connection; `exited` rejects when the process ends, so no wait outlives it.
function startServer(command, args, settings = {}) {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((_, reject) => {
    const died = (why) => reject(new Error(`the secls server ${why}; stderr:\n${stderr}`));
    child.on('error', (error) => died(`could not start (${error.message})`));
    child.on('exit', (code, signal) => died(`exited (code ${code}, signal ${signal})`));
  });
  exited.catch(() => {});
  // Writes go through a pipe that never fails: an EPIPE inside vscode-jsonrpc's writer would surface as an
  // unhandled rejection instead of the exit reason below.
  const input = new PassThrough();
  child.stdin.on('error', () => {});
  input.pipe(child.stdin);
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(input));
  connection.onError(() => {});
  const published = [];
  const waiters = [];
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    published.push(params);
    waiters.splice(0).forEach((wake) => wake());
  });
  const shown = [];
  const errors = []; // what the server logged as errors, for failure messages
  connection.onNotification('window/showMessage', (params) => shown.push(params));
  connection.onNotification('window/logMessage', (params) => params.type === 1 && errors.push(params.message));
  connection.onRequest('workspace/configuration',
    (params) => params.items.map(() => ({ ...DEFAULT_SETTINGS, debounceMs: 0, ...settings })));
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();

  const until = (what, predicate) => within(Promise.race([exited, (async () => {
    for (;;) {
      const found = published.find(predicate);
      if (found) return found;
      await new Promise((wake) => waiters.push(wake));
    }
  })()]), what);
  const request = (method, params) => within(Promise.race([exited, connection.sendRequest(method, params)]), method);
  const notify = (method, params) => connection.sendNotification(method, params);
  return { child, connection, until, request, notify, shown, errors };
}

// shutdown and exit: the server must end (with its resolver process) by itself.
async function shutDown(server) {
  await server.request('shutdown', null);
  await server.notify('exit');
  await within(new Promise((resolve) => server.child.exitCode !== null ? resolve() : server.child.on('exit', resolve)),
    'the server to exit after `exit`');
}

const sec301 = (params) => params.diagnostics.filter((d) => d.code === 'SEC301');

function applyEdits(text, edits) {
  // JavaScript strings index UTF-16 code units: the negotiated encoding.
  const lines = text.split('\n');
  const offset = ({ line, character }) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  return sorted.reduce((out, e) => out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end)), text);
}

test('diagnostic, addCleanup fix and clearing over the protocol', async () => {
  const server = startServer(SECLS, ['serve']);
  try {
    const init = await server.request('initialize', {
      processId: process.pid, rootUri: null, capabilities: CAPABILITIES,
      initializationOptions: { debounceMs: 0 },
    });
    assert.equal(init.capabilities.positionEncoding ?? 'utf-16', 'utf-16');
    assert.equal(init.capabilities.codeActionProvider.resolveProvider, true);
    await server.notify('initialized', {});
    await server.notify('textDocument/didOpen', {
      textDocument: { uri: URI, languageId: 'python', version: 1, text: CASE },
    });

    const published = await server.until('SEC301 diagnostics', (p) => p.uri === URI && sec301(p).length > 0);
    const [diag] = sec301(published);
    assert.equal(sec301(published).length, 1);
    assert.equal(diag.source, 'secls');
    assert.match(diag.message, /^patcher `self.patcher` started in setUp is never stopped/);
    assert.deepEqual(diag.range, { start: { line: 8, character: 51 }, end: { line: 8, character: 71 } });

    const actions = await server.request('textDocument/codeAction', {
      textDocument: { uri: URI }, range: diag.range, context: { diagnostics: [diag] },
    });
    let fix = actions.find((a) => a.title === FIX);
    assert.ok(fix, `no "${FIX}" among ${JSON.stringify((actions ?? []).map((a) => a.title))}; server errors:\n${server.errors.join('\n')}`);
    assert.equal(fix.edit, undefined, 'the fix edit should be left to codeAction/resolve');
    fix = await server.request('codeAction/resolve', fix);
    assert.ok(fix?.edit, `codeAction/resolve gave no edit; server errors:\n${server.errors.join('\n')}`);
    const [change] = fix.edit.documentChanges;
    assert.equal(change.textDocument.uri, URI);
    const fixed = applyEdits(CASE, change.edits);
    assert.equal(fixed, FIXED);

    await server.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 }, contentChanges: [{ text: fixed }],
    });
    const after = await server.until('diagnostics of the fixed text', (p) => p.uri === URI && p.version === 2);
    assert.deepEqual(sec301(after), []);
    assert.deepEqual(server.shown, [], 'the default settings should be accepted without warnings');

    await shutDown(server);
  } finally {
    server.connection.dispose();
    server.child.kill('SIGKILL');
  }
});

test('review report command and lifecycle code lens', async () => {
  const server = startServer(SECLS, ['serve'], { codeLens: true });
  try {
    const init = await server.request('initialize', {
      processId: process.pid, rootUri: null, capabilities: CAPABILITIES,
      initializationOptions: { debounceMs: 0 },
    });
    assert.ok(init.capabilities.executeCommandProvider.commands.includes('secls.reviewReport'));
    assert.ok(init.capabilities.codeLensProvider);
    await server.notify('initialized', {});
    await server.notify('textDocument/didOpen', {
      textDocument: { uri: URI, languageId: 'python', version: 1, text: CASE },
    });
    await server.until('SEC301 diagnostics', (p) => p.uri === URI && sec301(p).length > 0);

    // What the extension's "secls: Review report" command asks for and previews.
    const markdown = await server.request('workspace/executeCommand', {
      command: 'secls.reviewReport', arguments: [URI],
    });
    const headings = markdown.split('\n').filter((line) => /^### \d\. /.test(line));
    assert.equal(headings.length, 8, markdown);
    assert.equal(headings[7], '### 8. Mocking and patching');
    assert.match(markdown, /test_volume\.py:9`\*\* SEC301 patch-not-stopped \[warning\]/);
    assert.match(markdown, /1 direct security defect found/);

    const lenses = await server.request('textDocument/codeLens', { textDocument: { uri: URI } });
    assert.deepEqual(lenses.map((lens) => [lens.range.start.line, lens.command.title]),
      [[4, 'setUp acquires 1, releases 0']]);

    await shutDown(server);
  } finally {
    server.connection.dispose();
    server.child.kill('SIGKILL');
  }
});

test('a server that dies at once fails the request quickly', async () => {
  const server = startServer(process.execPath, ['-e', 'process.exit(3)']);
  try {
    await assert.rejects(server.request('initialize', { processId: null, rootUri: null, capabilities: {} }),
      /the secls server exited \(code 3/);
  } finally {
    server.connection.dispose();
    server.child.kill('SIGKILL');
  }
});
