package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/igny8/sdk/optimization"
)

// benchAnalyze measures on-page analyses per second: -docs seeded
// documents of about -words words each (headings, paragraphs, lists,
// links, images, a focus keyphrase) analysed by -workers goroutines
// sharing one Analyzer. Generation is not timed.
func benchAnalyze(ctx context.Context, args []string, out *reporter) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	docs := fs.Int("docs", 2000, "documents to analyse")
	words := fs.Int("words", 1500, "words per document")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "concurrent analysing goroutines")
	seed := fs.Uint64("seed", 1, "random seed of the documents")
	runs := fs.Int("runs", 1, "timed runs over the same documents")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the timed runs to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *docs < 1 || *words < 1 || *workers < 1 {
		return fmt.Errorf("docs, words and workers must be positive")
	}
	rng := rand.New(rand.NewPCG(*seed, *seed^0x9e3779b97f4a7c15))
	inputs := make([]optimization.Input, *docs)
	htmlBytes := 0
	for i := range inputs {
		inputs[i] = sampleInput(rng, *words)
		htmlBytes += len(inputs[i].HTML)
	}
	a := optimization.NewAnalyzer(optimization.Options{})
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	for run := 0; run < *runs; run++ {
		var next, seoSum, readSum, wordSum atomic.Int64
		var firstErr error
		var once sync.Once
		var wg sync.WaitGroup
		cpu0 := analyzeCPUTime()
		start := time.Now()
		for range *workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					i := int(next.Add(1) - 1)
					if i >= len(inputs) {
						return
					}
					r, err := a.Analyze(inputs[i])
					if err != nil {
						once.Do(func() { firstErr = err })
						return
					}
					seoSum.Add(int64(r.SEO))
					readSum.Add(int64(r.Readability))
					wordSum.Add(int64(r.Stats.Words))
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		cpu := (analyzeCPUTime() - cpu0).Seconds()
		if firstErr != nil {
			return firstErr
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		n := int64(len(inputs))
		if err := out.Report(Result{Bench: "analyze", N: len(inputs), Elapsed: elapsed, Extra: map[string]any{
			"words_per_doc":    *words,
			"mean_words":       wordSum.Load() / n,
			"mean_html_bytes":  htmlBytes / len(inputs),
			"workers":          *workers,
			"gomaxprocs":       runtime.GOMAXPROCS(0),
			"mean_seo":         float64(seoSum.Load()) / float64(n),
			"mean_readability": float64(readSum.Load()) / float64(n),
			"mb_per_second":    round(float64(htmlBytes)/elapsed.Seconds()/1e6, 1),
			"seed":             *seed,
			// On a shared machine wall time hides how much CPU the work took:
			// cpu_seconds is user+system time of the process over the run.
			"cpu_seconds":         round(cpu, 4),
			"docs_per_cpu_second": round(float64(n)/cpu, 1),
		}}); err != nil {
			return err
		}
	}
	return nil
}

var (
	benchTopics = []string{"running shoes", "sourdough bread", "home office", "garden soil", "email marketing", "solar panels", "dog training", "budget travel"}
	benchVocab  = strings.Fields(`the a of to and in for is on with that as it by this you are be from at or
your can an will more use these our best how also each when new their most make good time people way help
choose simple easy quick better first right work year day home team price quality small large light
strong local online value common important popular different experience process result product service
customer business design system support guide option feature benefit budget cost plan goal method
comfortable durable reliable effective practical modern classic natural professional available
recommend consider compare improve prepare measure maintain protect replace reduce increase provide
understand remember include require develop organize schedule research analysis performance
opportunity information technology community environment development management responsibility`)
	benchTransitions = []string{"However,", "For example,", "In addition,", "As a result,", "Finally,", "Therefore,", "Meanwhile,", "Of course,"}
	benchPassives    = []string{"is built", "was tested", "are made", "were chosen", "is designed"}
	benchCaps        = []string{"Most", "Many", "Every", "Some", "Good", "This", "Our", "Your", "Experts", "Buyers", "Teams", "Owners"}
)

// sampleInput writes a realistic article of about n words around a
// keyphrase: an intro, H2 sections of 120–280 words with an occasional
// H3, paragraphs of 2–5 sentences of 6–26 words, some lists, internal and
// outbound links, images with alt text.
func sampleInput(rng *rand.Rand, n int) optimization.Input {
	topic := benchTopics[rng.IntN(len(benchTopics))]
	var b strings.Builder
	b.Grow(n * 8)
	written := 0
	sentence := func(withKey bool) {
		k := 6 + rng.IntN(21)
		var w []string
		if rng.IntN(3) == 0 {
			w = append(w, benchTransitions[rng.IntN(len(benchTransitions))])
		} else {
			w = append(w, benchCaps[rng.IntN(len(benchCaps))])
		}
		if withKey {
			w = append(w, topic)
		}
		if rng.IntN(12) == 0 {
			w = append(w, benchPassives[rng.IntN(len(benchPassives))])
		}
		for len(w) < k {
			switch r := rng.IntN(40); {
			case r == 0:
				w = append(w, `<a href="/guides/`+benchVocab[rng.IntN(len(benchVocab))]+`">`+benchVocab[rng.IntN(len(benchVocab))]+`</a>`)
			case r == 1:
				w = append(w, `<a href="https://www.example.org/ref" rel="noopener">source</a>`)
			case r == 2:
				w = append(w, "<strong>"+benchVocab[rng.IntN(len(benchVocab))]+"</strong>")
			case r == 3:
				w = append(w, fmt.Sprintf("%d.%d", rng.IntN(100), rng.IntN(10)))
			default:
				w = append(w, benchVocab[rng.IntN(len(benchVocab))])
			}
		}
		b.WriteString(strings.Join(w, " "))
		b.WriteString(". ")
		written += len(w)
	}
	paragraph := func(first bool) {
		b.WriteString("<p>")
		for s := 2 + rng.IntN(4); s > 0; s-- {
			sentence(first || rng.IntN(14) == 0)
			first = false
		}
		b.WriteString("</p>\n")
	}
	paragraph(true)
	for section := 0; written < n; section++ {
		fmt.Fprintf(&b, "<h2>%s %s</h2>\n", strings.ToUpper(benchVocab[rng.IntN(len(benchVocab))][:1])+benchVocab[rng.IntN(len(benchVocab))][1:], maybe(rng, topic))
		goal := written + 120 + rng.IntN(160)
		for written < goal && written < n {
			switch r := rng.IntN(10); {
			case r == 0:
				b.WriteString("<ul>")
				for li := 2 + rng.IntN(4); li > 0; li-- {
					b.WriteString("<li>")
					for k := 3 + rng.IntN(8); k > 0; k-- {
						b.WriteString(benchVocab[rng.IntN(len(benchVocab))])
						b.WriteByte(' ')
						written++
					}
					b.WriteString("</li>")
				}
				b.WriteString("</ul>\n")
			case r == 1:
				fmt.Fprintf(&b, `<figure><img src="/img/%d.jpg" alt="%s %s" width="800" height="600"><figcaption>%s</figcaption></figure>`+"\n",
					rng.IntN(1000), maybe(rng, topic), benchVocab[rng.IntN(len(benchVocab))], benchVocab[rng.IntN(len(benchVocab))])
			case r == 2 && section%3 == 2:
				fmt.Fprintf(&b, "<h3>%s</h3>\n", benchVocab[rng.IntN(len(benchVocab))])
			default:
				paragraph(false)
			}
		}
	}
	title := strings.ToUpper(topic[:1]) + topic[1:] + ": a practical guide for " + benchVocab[rng.IntN(len(benchVocab))]
	meta := "Learn about " + topic + ": " + strings.Repeat("simple steps, common mistakes and expert tips ", 2+rng.IntN(2))
	return optimization.Input{
		HTML: b.String(), Keyphrase: topic, Title: title, MetaDescription: strings.TrimSpace(meta),
		Slug: strings.ReplaceAll(topic, " ", "-"), Type: optimization.TypePost, SiteHost: "example.com",
	}
}

// analyzeCPUTime returns the user and system CPU time the process has used.
func analyzeCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func maybe(rng *rand.Rand, s string) string {
	if rng.IntN(2) == 0 {
		return s
	}
	return ""
}
