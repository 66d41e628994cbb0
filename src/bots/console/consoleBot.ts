import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeFileAtomic } from '../../atomicFile.js';
import type { Readable, Writable } from 'node:stream';
import type { CommandRouter } from '../../commands/router.js';
import type { Attachment, Button } from '../../model/reply.js';
import { ansiStyle, plainStyle, renderReply } from '../../render/text.js';

export interface ConsoleOptions {
  router: CommandRouter;
  input: Readable;
  output: Writable;
  /** Colours and the prompt only on a real terminal. */
  color: boolean;
  banner?: string;
  /** Ends the chat as `exit` would (shutdown on a signal): the answer being written is finished first. */
  signal?: AbortSignal;
  /** Where files a reply carries (exports) are written: DATA_DIR/exports. */
  filesDir: string;
}

const PROMPT = 'paperbot> ';

/**
 * A local chat over the shared router: type `/paper find moe routing` (or just `find moe routing`),
 * type a button's number to press it, `exit`, Ctrl-D or Ctrl-C to quit. Resolves when the input ends.
 */
export function runConsole({ router, input, output, color, banner, signal, filesDir }: ConsoleOptions): Promise<void> {
  const style = color ? ansiStyle : plainStyle;
  const rl = createInterface({ input, output: color ? output : undefined, terminal: color, prompt: PROMPT });
  const write = (text: string) => output.write(text + '\n');
  let buttons: Button[] = [];
  let queue = Promise.resolve();
  let quitting = false;

  if (banner) write(banner);
  if (color) rl.prompt();

  return new Promise((resolve) => {
    rl.on('line', (line) => {
      // Lines are answered in order even when a command is slow.
      queue = queue.then(async () => {
        // Lines pasted after `exit` arrive before the close: they are not run.
        if (quitting) return;
        const text = line.trim();
        if (text === 'exit' || text === 'quit' || text === '/exit') {
          quitting = true;
          rl.close();
          return;
        }
        if (text !== '') {
          const pressed = /^\d+$/.test(text) ? buttons[Number(text) - 1] : undefined;
          if (/^\d+$/.test(text) && !pressed) {
            write(`There is no button ${text} on the last reply.`);
          } else {
            const reply = await router.handle(pressed ? pressed.command : text, { platform: 'console', channelId: 'console', userId: 'local' });
            const rendered = renderReply(reply, style);
            buttons = rendered.buttons;
            write(rendered.text);
            if (reply.attachment) write(await savedFileLine(reply.attachment, filesDir));
            write('');
          }
        }
        if (color) rl.prompt();
      });
    });
    const quit = () => {
      quitting = true;
      rl.close();
    };
    signal?.addEventListener('abort', quit, { once: true });
    // Ctrl-C on a terminal (where readline reads keys itself) ends the chat like `exit`.
    rl.on('SIGINT', quit);
    rl.on('close', () => {
      void queue.then(() => {
        if (color) write('');
        resolve();
      });
    });
  });
}

/** The console has no uploads: the file goes under DATA_DIR and the reply says where. */
async function savedFileLine(attachment: Attachment, filesDir: string): Promise<string> {
  const path = join(filesDir, attachment.name);
  try {
    await writeFileAtomic(path, [attachment.bytes]);
    return `File: ${path} (${attachment.bytes.length.toLocaleString('en-US')} bytes)`;
  } catch (err) {
    return `Could not write ${path}: ${err instanceof Error ? err.message : String(err)}`;
  }
}
