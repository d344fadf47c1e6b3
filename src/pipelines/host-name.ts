import { hostname } from 'node:os';

/** This machine's name, recorded with owners and step processes. */
export const HOST_NAME = hostname();
