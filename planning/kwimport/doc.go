// Package kwimport reads keyword exports as people have them: Google Ads
// Keyword Planner (UTF-16 with BOM, tab-separated, title lines above the
// header), Semrush, Ahrefs (often UTF-16 TSV) and a plain
// keyword,volume,difficulty,cpc,intent CSV. The format, encoding and
// delimiter are detected from the file itself.
//
// Parse returns the accepted rows (duplicates folded on
// planning.Normalize, the first occurrence kept), every rejected row with
// its line number and reason, and the folds. Numbers are read as the tools
// write them: "1,300", "1.3K", ranges such as "10K – 100K" (their geometric
// mean, the middle of Keyword Planner's log-scale buckets) and empty cells
// (unknown).
//
// A file that cannot be read as a whole (no header, a line over
// Options.MaxLineBytes, an unclosed quote) is refused with InvalidArgument
// naming the line, so that nothing of it gets imported:
//
//	res, err := kwimport.Parse(f, kwimport.Options{})
//	if err != nil { return err }
//	report, err := planner.Import(ctx, scope, res.Keywords())
package kwimport
