/**
 * Field offsets of the records training threads share through SharedArrayBuffers. The
 * main thread writes jobs, every thread (main included) runs them, and results come back
 * in the same buffers, so a training round needs no messages at all.
 */

/** A best-split record (Float64Array, `STRIDE` entries). */
export const SPLIT = {
  GAIN: 0,
  FEATURE: 1,
  /** Numeric splits: bins `0..BIN` go left. */
  BIN: 2,
  DEFAULT_LEFT: 3,
  LEFT_G: 4,
  LEFT_H: 5,
  /** 1 for a categorical split, whose right-going bins are the bitset at CATS. */
  CATEGORICAL: 6,
  CATS: 7,
  CAT_WORDS: 8,
  STRIDE: 16,
} as const;

/** A job record (Float64Array, `STRIDE` entries); the meaning depends on the command. */
export const JOB = {
  /** Partition: the chunk `[BEGIN, END)` of a node, split by the record from SPLIT_AT. */
  BEGIN: 0,
  END: 1,
  /** Partition staging output: the chunk's number of left rows. */
  LEFT_COUNT: 2,
  /** Histograms: parent slot (-1 for a root), small child's slot and rows. */
  PARENT_SLOT: 3,
  SMALL_SLOT: 4,
  SMALL_G: 5,
  SMALL_H: 6,
  LARGE_G: 7,
  LARGE_H: 8,
  /** Histograms: 1 when the small / large child may be split further. */
  FIND_SMALL: 9,
  FIND_LARGE: 10,
  /** Leaf update: the value added to every row of the range. */
  VALUE: 11,
  /** Partition placing: where the chunk's left and right rows go. */
  LEFT_AT: 12,
  RIGHT_AT: 13,
  SPLIT_AT: 16,
  STRIDE: 32,
} as const;

/** One node of the tree being grown, as worker threads walk it over binned data. */
export const NODE = {
  /** -1 for a leaf. */
  FEATURE: 0,
  BIN: 1,
  DEFAULT_LEFT: 2,
  LEFT: 3,
  RIGHT: 4,
  VALUE: 5,
  CATEGORICAL: 6,
  CATS: 7,
  STRIDE: 16,
} as const;

/** Commands the main thread hands to every training thread. */
export const COMMAND = {
  GRADIENTS: 1,
  /** Stage each chunk of the split nodes' rows (left count per chunk). */
  PARTITION: 2,
  HISTOGRAMS: 3,
  LEAF_UPDATE: 4,
  VALID_UPDATE: 5,
  END_SESSION: 6,
  /** Copy each staged chunk to its place. */
  PLACE: 7,
} as const;

export type Command = (typeof COMMAND)[keyof typeof COMMAND];

/** Slots of the shared control array (Int32Array). */
export const CONTROL = {
  EPOCH: 0,
  COMMAND: 1,
  NUM_TASKS: 2,
  NEXT_TASK: 3,
  DONE: 4,
  FAILED: 5,
  /** Command arguments. */
  ROUND: 6,
  OUTPUT: 7,
  NUM_NODES: 8,
  SIZE: 16,
} as const;

/** Rows per task for row-parallel commands (gradients, partitions, updates). */
export const ROW_CHUNK = 1 << 15;
