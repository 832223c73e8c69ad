// Package sitebuilding owns the site builder's model: the typed block
// schema that pages are made of, and (as the builder grows) site and page
// blueprints and their deployments.
//
// A page is a list of Blocks; each block has a type and typed data (Hero,
// Text, Features, CTA, FAQ, Testimonials, Pricing, Gallery, Contact,
// PostList, Image, Columns). The JSON form of a block is
// {"type": "hero", "data": {...}}. ParseBlocks refuses unknown block types
// and unknown fields when blocks are loaded, not when they are rendered,
// and Validate names the bad field by its path:
//
//	blocks, err := sitebuilding.ParseBlocks(raw)
//	// err: sitebuilding.Validate: blocks[2].button.url: "javascript:x" is not a site path, ...
package sitebuilding
