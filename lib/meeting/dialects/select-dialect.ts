import type { ApiDialect } from '../../config/index.js';
import { currentDialect } from './current.js';
import { legacyDialect } from './legacy.js';
import type { Dialect } from './types.js';

export const selectDialect = (name: ApiDialect): Dialect =>
  name === 'legacy' ? legacyDialect : currentDialect;
