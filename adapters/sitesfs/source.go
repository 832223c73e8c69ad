package sitesfs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/igny8/sdk/igny8"
)

// source is a site's published posts on disk: one JSON file per post with
// its HTML, and an index of every post without its HTML, so that a deploy
// plans the whole site from the index and loads only the posts it renders.
// That keeps memory bounded by the index, not by the site's text.
type source struct {
	dir string // <root>/<site>/source

	mu    sync.Mutex
	index map[string]postMeta // by post id, loaded lazily
	keys  map[string]string   // idempotency key -> post id
}

// postMeta is a post without its HTML, plus what identifies the HTML.
type postMeta struct {
	Post
	// Hash is the SHA-256 of the post's full JSON (HTML included): a
	// deploy re-renders a post page only when it changes.
	Hash string `json:"hash"`
	// Key is the publishing idempotency key the post was created with.
	Key string `json:"key,omitempty"`
	// Status is "publish", "draft" or "scheduled": only what is live is
	// rendered.
	Status string `json:"status"`
}

func newSource(dir string) *source { return &source{dir: dir} }

func (s *source) indexPath() string { return filepath.Join(s.dir, "index.json") }

func (s *source) postPath(id string) string { return filepath.Join(s.dir, "posts", id+".json") }

func (s *source) load() error {
	if s.index != nil {
		return nil
	}
	s.index, s.keys = map[string]postMeta{}, map[string]string{}
	raw, err := os.ReadFile(s.indexPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var list []postMeta
	if err := json.Unmarshal(raw, &list); err != nil {
		return fmt.Errorf("sitesfs: source index %s: %w", s.indexPath(), err)
	}
	for _, m := range list {
		s.index[m.ID] = m
		if m.Key != "" {
			s.keys[m.Key] = m.ID
		}
	}
	return nil
}

// put stores posts (with their status and idempotency keys) and rewrites
// the index once.
func (s *source) put(posts []Post, status []string, keys []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(s.dir, "posts"), 0o755); err != nil {
		return err
	}
	for i, p := range posts {
		if !validID(p.ID) {
			return igny8.InvalidArgument("sitesfs.Put", "id", "%q is not a safe post id", p.ID)
		}
		raw, err := json.Marshal(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(raw)
		if err := writeAtomic(s.postPath(p.ID), raw); err != nil {
			return err
		}
		meta := postMeta{Post: p, Hash: hex.EncodeToString(sum[:16]), Status: status[i], Key: keys[i]}
		meta.HTML = ""
		if old, ok := s.index[p.ID]; ok && old.Key != "" && meta.Key == "" {
			meta.Key = old.Key
		}
		s.index[p.ID] = meta
		if meta.Key != "" {
			s.keys[meta.Key] = p.ID
		}
	}
	return s.saveIndex()
}

func (s *source) remove(id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return false, err
	}
	m, ok := s.index[id]
	if !ok {
		return false, nil
	}
	delete(s.index, id)
	if m.Key != "" {
		delete(s.keys, m.Key)
	}
	if err := os.Remove(s.postPath(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	return true, s.saveIndex()
}

func (s *source) saveIndex() error {
	list := make([]postMeta, 0, len(s.index))
	for _, m := range s.index {
		list = append(list, m)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(list); err != nil {
		return err
	}
	return writeAtomic(s.indexPath(), buf.Bytes())
}

// snapshot returns a copy of the index and the key map.
func (s *source) snapshot() (map[string]postMeta, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return nil, err
	}
	out := make(map[string]postMeta, len(s.index))
	for k, v := range s.index {
		out[k] = v
	}
	return out, nil
}

func (s *source) byKey(key string) (postMeta, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return postMeta{}, false, err
	}
	id, ok := s.keys[key]
	if !ok {
		return postMeta{}, false, nil
	}
	m, ok := s.index[id]
	return m, ok, nil
}

func (s *source) get(id string) (postMeta, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return postMeta{}, false, err
	}
	m, ok := s.index[id]
	return m, ok, nil
}

// body loads a post with its HTML.
func (s *source) body(id string) (Post, error) {
	raw, err := os.ReadFile(s.postPath(id))
	if err != nil {
		return Post{}, err
	}
	var p Post
	if err := json.Unmarshal(raw, &p); err != nil {
		return Post{}, fmt.Errorf("sitesfs: post %s: %w", id, err)
	}
	return p, nil
}

// validID accepts the ids the SDK assigns (UUIDs) and other plain tokens,
// never a path.
func validID(id string) bool {
	if id == "" || len(id) > 100 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// writeAtomic writes data to a temporary file beside path and renames it
// into place, so a reader never sees half a file.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
