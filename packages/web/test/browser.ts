import { requireTool } from '@llmlab/server/testing';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** Debian's Chromium; a missing browser fails the run with the command that installs it (requireTool). */
export async function launchChromium(): Promise<Browser> {
  requireTool('chromium');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
}
