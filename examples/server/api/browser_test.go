package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cdp is a minimal Chrome DevTools Protocol client over
// --remote-debugging-pipe (fd 3 in, fd 4 out, NUL-terminated JSON), so the
// browser test needs no WebSocket library.
type cdp struct {
	t       *testing.T
	w       *os.File
	msgs    chan json.RawMessage
	next    int
	session string
	pending []json.RawMessage // events read while waiting for a reply
}

type cdpMsg struct {
	ID        int             `json:"id"`
	Method    string          `json:"method"`
	SessionID string          `json:"sessionId"`
	Result    json.RawMessage `json:"result"`
	Error     *struct {
		Message string `json:"message"`
	} `json:"error"`
}

func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium found: install the distribution's package (apt-get install chromium) to run the browser test")
	}
	t.Skip("no Chromium found (apt-get install chromium); skipping the browser test")
	return ""
}

func startBrowser(t *testing.T) *cdp {
	t.Helper()
	bin := findChromium(t)
	inR, inW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--remote-debugging-pipe", "--user-data-dir="+t.TempDir(), "--window-size=1280,900", "about:blank")
	cmd.ExtraFiles = []*os.File{inR, outW}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	inR.Close()
	outW.Close()
	c := &cdp{t: t, w: inW, msgs: make(chan json.RawMessage, 256)}
	go func() {
		defer close(c.msgs)
		rd := bufio.NewReader(outR)
		for {
			b, err := rd.ReadBytes(0)
			if err != nil {
				return
			}
			c.msgs <- json.RawMessage(b[:len(b)-1])
		}
	}()
	t.Cleanup(func() {
		inW.Close()
		cancel()
		_ = cmd.Wait()
		outR.Close()
		if t.Failed() {
			t.Logf("chromium stderr: %s", stderr.String())
		}
	})
	return c
}

func (c *cdp) read() cdpMsg {
	c.t.Helper()
	select {
	case raw, ok := <-c.msgs:
		if !ok {
			c.t.Fatal("chromium closed the pipe")
		}
		var m cdpMsg
		if err := json.Unmarshal(raw, &m); err != nil {
			c.t.Fatal(err)
		}
		if m.ID == 0 {
			c.pending = append(c.pending, raw)
		}
		return m
	case <-time.After(30 * time.Second):
		c.t.Fatal("no answer from chromium in 30s")
	}
	return cdpMsg{}
}

// call sends a command (to the page session once attached) and returns
// its result.
func (c *cdp) call(method string, params any, out any) {
	c.t.Helper()
	c.next++
	msg := map[string]any{"id": c.next, "method": method, "params": params}
	if c.session != "" && !strings.HasPrefix(method, "Target.") {
		msg["sessionId"] = c.session
	}
	b, _ := json.Marshal(msg)
	if _, err := c.w.Write(append(b, 0)); err != nil {
		c.t.Fatal(err)
	}
	for {
		m := c.read()
		if m.ID != c.next {
			continue
		}
		if m.Error != nil {
			c.t.Fatalf("%s: %s", method, m.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(m.Result, out); err != nil {
				c.t.Fatal(err)
			}
		}
		return
	}
}

// waitEvent waits for an event of the page session.
func (c *cdp) waitEvent(method string) {
	c.t.Helper()
	for {
		for i, raw := range c.pending {
			var m cdpMsg
			_ = json.Unmarshal(raw, &m)
			if m.Method == method {
				c.pending = append(c.pending[:i:i], c.pending[i+1:]...)
				return
			}
		}
		c.read()
	}
}

func (c *cdp) navigate(url string) {
	c.t.Helper()
	c.pending = nil
	c.call("Page.navigate", map[string]any{"url": url}, nil)
	c.waitEvent("Page.loadEventFired")
}

func (c *cdp) eval(expr string) string {
	c.t.Helper()
	var res struct {
		Result struct {
			Value any `json:"value"`
		} `json:"result"`
	}
	c.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &res)
	return fmt.Sprint(res.Result.Value)
}

// TestBrowserDashboard loads the dashboard in headless Chromium, signs in
// with a token through the form, checks that the pages show the tenant's
// data, and saves a screenshot (IGNY8_ARTIFACTS, else a folder in the
// temporary directory).
func TestBrowserDashboard(t *testing.T) {
	c := startBrowser(t)
	e := newEnv(t, nil)
	tn := e.newTenant("acme", e.growthPlan())
	e.must(201, "POST", tn.sectorPath()+"/keywords", tn.editor, map[string]any{"keywords": []any{
		map[string]any{"text": "raised bed soil", "volume": 900}, map[string]any{"text": "raised bed kits", "volume": 400},
	}}, nil)
	// Articles, a link pass and an optimization, so that the sector page
	// draws a link graph with edges and lists a rewrite.
	e.populate(tn)

	var target struct{ TargetID string }
	c.call("Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var att struct{ SessionID string }
	c.call("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att)
	c.session = att.SessionID
	c.call("Page.enable", map[string]any{}, nil)
	c.call("Runtime.enable", map[string]any{}, nil)

	c.navigate(e.http.URL + "/dashboard/")
	if got := c.eval(`document.getElementById('token') !== null`); got != "true" {
		t.Fatalf("no token field on the sign-in page")
	}
	c.pending = nil
	c.eval(fmt.Sprintf(`document.getElementById('token').value = %q; document.getElementById('signin').click(); true`, tn.viewer))
	c.waitEvent("Page.loadEventFired")
	home := c.eval(`document.body.innerText`)
	for _, want := range []string{"acme", "acme blog", "Garden", "Credits used per day"} {
		if !strings.Contains(home, want) {
			t.Errorf("home page lacks %q:\n%s", want, home)
		}
	}
	if bars := c.eval(`document.querySelectorAll('#credits-chart rect').length`); bars != "14" {
		t.Errorf("credits chart has %s bars, want 14", bars)
	}
	link := c.eval(`document.querySelector('#sites a').href`)
	c.navigate(link)
	sector := c.eval(`document.body.innerText`)
	for _, want := range []string{"raised bed soil", "raised bed kits", "Automation runs"} {
		if !strings.Contains(sector, want) {
			t.Errorf("sector page lacks %q:\n%s", want, sector)
		}
	}
	// The link graph is drawn inline: a node per article, an edge per
	// linked pair, with the page's size.
	if nodes := c.eval(`document.querySelectorAll('#link-graph g.node circle').length`); nodes != "2" {
		t.Errorf("link graph has %s nodes, want the 2 articles", nodes)
	}
	if edges := c.eval(`document.querySelectorAll('#link-graph line').length`); edges == "0" {
		t.Error("link graph has no edge")
	}
	if w := c.eval(`Math.round(document.getElementById('link-graph').getBoundingClientRect().width) > 300`); w != "true" {
		t.Error("link graph is not laid out")
	}
	if rows := c.eval(`document.querySelectorAll('#optimizations tr').length`); rows != "2" {
		t.Errorf("optimizations table has %s rows, want a header and the rewrite", rows)
	}

	var shot struct{ Data string }
	c.call("Page.captureScreenshot", map[string]any{"format": "png"}, &shot)
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("screenshot is not a PNG (%d bytes, %v)", len(png), err)
	}
	dir := os.Getenv("IGNY8_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "igny8-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "dashboard-sector.png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", file, len(png))
}
