package sanitize_test

import (
	"fmt"

	"github.com/igny8/sdk/internal/sanitize"
)

func ExampleSanitize() {
	model := `<h2 onclick="steal()">Brewing</h2><p>Use <a href="javascript:alert(1)">fresh</a> beans.` +
		`<script>alert(1)</script><img src="/img/cup.png" alt="A cup" onerror="x()">`
	fmt.Println(sanitize.Sanitize(model))
	// Output:
	// <h2>Brewing</h2><p>Use <a>fresh</a> beans.<img src="/img/cup.png" alt="A cup"></p>
}

func ExampleNew() {
	p, err := sanitize.New(sanitize.Options{Schemes: []string{"tel"}, IDPrefix: "post-"})
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Sanitize(`<h2 id="faq">FAQ</h2><a href="#faq">top</a> <a href="tel:+15551234">call</a>`))

	_, err = sanitize.New(sanitize.Options{Elements: map[string][]string{"script": nil}})
	fmt.Println(err)
	// Output:
	// <h2 id="post-faq">FAQ</h2><a href="#post-faq">top</a> <a href="tel:+15551234">call</a>
	// sanitize.New: elements: "script" can never be allowed
}
