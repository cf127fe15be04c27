'use strict';

const { readFileSync } = require('node:fs');
const { join } = require('node:path');

/**
 * Deploy check (serverless.yml plugins): every custom.required setting must be non-empty.
 * The variable resolver already stops on an unset variable, but `export ALARM_EMAIL=` resolves
 * to '' and would deploy a stack whose every event then fails (README.md "Deploying").
 */
class RequiredSettings {
  constructor(serverless) {
    /** The variables a setting is written with (`${env:A, env:B}`), to name them in the error. */
    const writtenAs = (key) => {
      try {
        const raw = readFileSync(join(serverless.serviceDir, serverless.configurationFilename), 'utf8');
        return raw.match(new RegExp(`^\\s+${key}:\\s*\\$\\{(.+)\\}\\s*$`, 'm'))?.[1] ?? key;
      } catch {
        return key;
      }
    };
    const check = () => {
      const resolved = serverless.service.custom?.required ?? {};
      const empty = Object.keys(resolved).filter((key) => String(resolved[key] ?? '').trim() === '');
      if (empty.length === 0) return;
      const named = empty.map((key) => `custom.required.${key} (${writtenAs(key)})`).join(', ');
      throw new serverless.classes.Error(
        `Required deploy settings are empty: ${named}. Set them (README.md "Deploying").`,
      );
    };
    this.hooks = { 'before:package:initialize': check, 'before:deploy:function:initialize': check };
  }
}

module.exports = RequiredSettings;
