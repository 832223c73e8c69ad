package publishing

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"sort"

	"github.com/igny8/sdk/igny8"
)

// SealedSecret is a destination's credentials encrypted with AES-256-GCM.
// KeyID names the Keyring key that sealed it, so keys can rotate: old
// secrets open with their old key until Service.RotateSecrets reseals them
// with the primary one. Ciphertext is the nonce followed by the sealed
// bytes; the destination's account and id are bound in as additional data,
// so a sealed value copied to another row does not open.
type SealedSecret struct {
	KeyID      string `json:"key_id"`
	Ciphertext []byte `json:"ciphertext"`
}

// Empty reports whether there is no secret.
func (s SealedSecret) Empty() bool { return len(s.Ciphertext) == 0 }

// Keyring holds the host's secret keys. The host supplies them (from a
// KMS, a file, an environment variable the host reads); the SDK never
// stores them.
type Keyring struct {
	primary string
	aeads   map[string]cipher.AEAD
}

// NewKeyring returns a keyring that seals with keys[primary] and opens with
// any key in keys. Every key must be 32 bytes (AES-256).
func NewKeyring(primary string, keys map[string][]byte) (*Keyring, error) {
	const op = "publishing.NewKeyring"
	if primary == "" {
		return nil, igny8.InvalidArgument(op, "primary", "is required")
	}
	if _, ok := keys[primary]; !ok {
		return nil, igny8.InvalidArgument(op, "primary", "key %q is not in keys", primary)
	}
	k := &Keyring{primary: primary, aeads: make(map[string]cipher.AEAD, len(keys))}
	ids := make([]string, 0, len(keys))
	for id := range keys {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		key := keys[id]
		if id == "" {
			return nil, igny8.InvalidArgument(op, "keys", "a key id must not be empty")
		}
		if len(key) != 32 {
			return nil, igny8.InvalidArgument(op, "keys."+id, "must be 32 bytes, got %d", len(key))
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, igny8.Errorf(igny8.CodeInternal, op, "key %s: %w", id, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, igny8.Errorf(igny8.CodeInternal, op, "key %s: %w", id, err)
		}
		k.aeads[id] = aead
	}
	return k, nil
}

// Primary returns the id of the key that seals.
func (k *Keyring) Primary() string { return k.primary }

// Seal encrypts plaintext with the primary key, bound to aad.
func (k *Keyring) Seal(plaintext, aad []byte) (SealedSecret, error) {
	aead := k.aeads[k.primary]
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return SealedSecret{}, igny8.Errorf(igny8.CodeInternal, "publishing.Keyring.Seal", "nonce: %w", err)
	}
	return SealedSecret{KeyID: k.primary, Ciphertext: aead.Seal(nonce, nonce, plaintext, aad)}, nil
}

// Open decrypts s with the key it names. An unknown key id or a value that
// does not authenticate (tampered, or bound to other data) is an error;
// the message never contains the secret.
func (k *Keyring) Open(s SealedSecret, aad []byte) ([]byte, error) {
	const op = "publishing.Keyring.Open"
	aead, ok := k.aeads[s.KeyID]
	if !ok {
		return nil, igny8.Errorf(igny8.CodeInternal, op, "secret sealed with key %q, which the keyring does not hold", s.KeyID)
	}
	if len(s.Ciphertext) < aead.NonceSize()+aead.Overhead() {
		return nil, igny8.Errorf(igny8.CodeInternal, op, "sealed secret is too short (%d bytes)", len(s.Ciphertext))
	}
	n := aead.NonceSize()
	out, err := aead.Open(nil, s.Ciphertext[:n], s.Ciphertext[n:], aad)
	if err != nil {
		return nil, igny8.Errorf(igny8.CodeInternal, op, "secret sealed with key %q does not authenticate", s.KeyID)
	}
	return out, nil
}

func destinationAAD(accountID, id string) []byte {
	return []byte("igny8/publishing/destination\x00" + accountID + "\x00" + id)
}
