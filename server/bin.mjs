#!/usr/bin/env node
// Launcher for the `georeport` command: loads TypeScript through tsx, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
