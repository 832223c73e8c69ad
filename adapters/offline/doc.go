// Package offline is the offline model: an igny8.LLM, igny8.Embedder and
// igny8.ImageGenerator that need no network and no key. It exists so that
// the whole pipeline (clusters, ideas, articles, images, links,
// optimization, site structures) runs end to end without a provider, in
// tests, demos and benchmarks. It is deterministic placeholder output, not
// a writer: its model name says so in every response and so in the AI call
// log.
//
// What it returns, always valid against the requested schema:
//
//   - auto_cluster: keywords grouped by their most shared significant
//     term, clusters named after it;
//   - generate_ideas: ideas cycling through the cluster's keywords and
//     allowed content types, each with an H2/H3 outline;
//   - generate_content: an article whose sections follow the idea's
//     outline and use its keywords, close to the estimated length, with
//     meta title and description in bounds, a slug, an FAQ and image
//     prompts, free of the author's banned phrases;
//   - generate_image_prompts, generate_site_structure, optimize_content:
//     the same, built from the input;
//   - any other function: the schema filled with words of the prompt.
//
// It reads the input from the JSON block the ai package appends to every
// prompt (ai.InputMarker) and picks the generator by ChatRequest.Function.
// Embeddings are hashed bag-of-words vectors scaled to unit length; images
// are PNG gradients seeded by the prompt.
package offline
