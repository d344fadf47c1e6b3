#!/usr/bin/env node
// Thin launcher: the compiled composition root does all the work.
import '../dist/main.js';
