// Package sanitize cleans HTML written by a model (or pasted by a person)
// before it is stored or published: a strict allow-list over the
// golang.org/x/net/html tokenizer. Content generation, optimization and
// site building all pass model HTML through it.
//
// What is kept (the default Policy):
//
//   - elements for article bodies: p, h1–h6, ul, ol, li, dl, dt, dd, a,
//     strong, em, b, i, u, s, small, mark, sup, sub, abbr, cite, q, del,
//     ins, code, pre, blockquote, br, hr, img, figure, figcaption, span,
//     div, table, caption, thead, tbody, tfoot, tr, th, td;
//   - on every kept element: class (a list of [A-Za-z0-9_-] tokens), id
//     (one token starting with a letter; optionally prefixed, see
//     Options.IDPrefix), title, lang, dir (ltr, rtl, auto). class and id are
//     allowed because articles carry tables of contents and theme classes;
//     their values are restricted so they cannot carry markup or script;
//   - per element: a href, rel, data-igny8-link; img src, alt, width,
//     height, loading; td/th colspan, rowspan (th scope); ol start,
//     reversed, type; li value; blockquote/q/del/ins cite; del/ins datetime;
//   - URLs (href, src, cite) with the schemes http, https and mailto, or no
//     scheme (relative paths, fragments). The value is checked as the
//     browser will read it: entities decoded, ASCII tab and newline removed,
//     leading and trailing spaces and controls trimmed. Anything shaped like
//     another scheme (javascript:, vbscript:, data:, and obfuscations that
//     are no valid scheme at all) drops the attribute. data: URLs of raster
//     images are allowed in img src only with Options.AllowDataImages.
//
// What is removed: every other element (its text is kept, so an unknown
// wrapper such as <section> or <font> disappears but its words stay);
// script, style, iframe, noscript, noembed, noframes, textarea, title,
// xmp, plaintext, svg, math, template, object, applet, select, datalist,
// audio, video, canvas, frameset and head together with everything inside
// them; every other attribute, including
// all event handlers and style; comments (and so conditional comments),
// doctypes, CDATA sections and processing instructions.
//
// The output is well-formed: tags are balanced and nested (implied end tags
// follow the HTML tree builder for p, li, dd, dt, headings, a and table
// parts), text and attribute values are escaped, control characters are
// dropped and invalid UTF-8 is replaced. Sanitizing the output again
// returns it unchanged.
//
// SanitizeStats also counts what was removed, for a warning in the logs
// when a model starts writing scripts.
//
// Use Sanitize for the default policy, or New with Options to widen it for
// a host (more elements, attributes or schemes). What is never safe cannot
// be added: New refuses it.
//
//	clean := sanitize.Sanitize(modelHTML)
//
//	p, err := sanitize.New(sanitize.Options{Schemes: []string{"tel"}, IDPrefix: "c-"})
//	clean = p.Sanitize(modelHTML)
package sanitize
