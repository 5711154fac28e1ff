// The perfcard extension's client: starts `perfcard lsp` (the program named
// by the `perfcard.path` setting) and connects it to every `.perf` document.
// Everything the user sees besides highlighting (diagnostics, hover,
// completion, go to definition, outline, formatting, code actions) comes
// from the server; this file only starts, restarts and stops it.

import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** The program to start, from the `perfcard.path` setting. */
function serverPath(): string {
  const configured = vscode.workspace
    .getConfiguration("perfcard")
    .get<string>("path", "perfcard")
    .trim();
  return configured === "" ? "perfcard" : configured;
}

function createClient(output: vscode.OutputChannel): LanguageClient {
  const command = serverPath();
  const serverOptions: ServerOptions = {
    run: { command, args: ["lsp"], transport: TransportKind.stdio },
    debug: { command, args: ["lsp"], transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "perf" },
      { scheme: "untitled", language: "perf" },
    ],
    synchronize: {
      // Included files that change on disk (outside the editor) re-check
      // the scorecards that include them.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.perf"),
    },
    outputChannel: output,
  };
  return new LanguageClient("perfcard", "perfcard language server", serverOptions, clientOptions);
}

async function start(output: vscode.OutputChannel): Promise<void> {
  client = createClient(output);
  try {
    await client.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    output.appendLine(`could not start \`${serverPath()} lsp\`: ${message}`);
    void vscode.window
      .showErrorMessage(
        `perfcard: could not start the language server \`${serverPath()} lsp\`. ` +
          "Install perfcard, or set `perfcard.path` to the perfcard program.",
        "Open settings",
      )
      .then((choice) => {
        if (choice === "Open settings") {
          void vscode.commands.executeCommand("workbench.action.openSettings", "perfcard.path");
        }
      });
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined && running.isRunning()) {
    await running.stop();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("perfcard");
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand("perfcard.restartServer", async () => {
      await stop();
      await start(output);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("perfcard.path")) {
        await stop();
        await start(output);
      }
    }),
  );

  await start(output);
}

export function deactivate(): Promise<void> {
  return stop();
}
