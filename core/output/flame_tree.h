/* The flame graph's tree. The profile's stack trie has one node per frame,
 * and a frame is a function in one tier; a flame graph wants one box per
 * function on a call path, so a function that ran interpreted in some
 * samples and optimized in others at the same place is one box. This tree
 * merges them and keeps each node's samples per (tier, sub-tier): the mix
 * that colours the box and fills its tooltip.
 *
 * Top-down, the root's children are thread names (as in the folded output)
 * and paths run from the outermost frame in; inverted, the root's children
 * are the leaf functions and paths run outwards (the bottom-up view).
 * Children are sorted by name, so the layout does not depend on sample order.
 * Ownership: the tree owns its arrays; names stay ids into the profile. */
#ifndef TP_OUTPUT_FLAME_TREE_H
#define TP_OUTPUT_FLAME_TREE_H

#include <stddef.h>
#include <stdint.h>

struct profile;

#define FLAME_ROOT 0
#define FLAME_NONE UINT32_MAX

/* Samples of one (tier, sub-tier) in one node; a node's entries form a list. */
struct flame_mix {
	uint64_t count;
	uint32_t subtier; /* profile strtab id, "" for none */
	uint32_t next;	  /* next entry of the node, or FLAME_NONE */
	uint8_t tier;
};

struct flame_node {
	uint32_t parent;
	uint32_t func;	/* function id; FLAME_NONE for the root and thread nodes */
	uint32_t label; /* thread nodes: strtab id of the thread name */
	uint32_t first_child, next_sibling;
	uint32_t mix; /* first flame_mix entry, or FLAME_NONE (root, threads) */
	uint32_t depth;
	uint8_t inlined; /* some of its frames were inlined (TP_FRAME_INLINED) */
	uint64_t total;	 /* samples at or under this node */
	uint64_t self;	 /* samples that end here */
};

struct flame_tree {
	struct flame_node *nodes;
	size_t nnodes, nodes_cap;
	struct flame_mix *mix;
	size_t nmix, mix_cap;
	uint32_t max_depth;
};

void flame_tree__build(struct flame_tree *t, const struct profile *p, int inverted);
void flame_tree__exit(struct flame_tree *t);

#endif
