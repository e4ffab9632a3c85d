package audit

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"
)

// A checkpoint is the chain's head signed with an Ed25519 key kept outside
// the database: whoever can rewrite the database can re-hash the whole
// chain, but cannot sign a new head. `audit verify --checkpoint` then
// finds a chain that was rewritten or cut short behind the checkpoint.

// CheckpointFormat names the checkpoint file's format and version.
const CheckpointFormat = "narvard-checkpoint/1"

// Checkpoint is a signed statement of how long the chain was and what its
// last hash was at a time.
type Checkpoint struct {
	Format    string    `json:"format"`
	Entries   int64     `json:"entries"`
	Head      string    `json:"head"` // the hash of entry Entries; Genesis for an empty log
	At        time.Time `json:"at"`
	PublicKey string    `json:"public_key"` // base64, the signer's key (for reading; verification uses the key file)
	Signature string    `json:"signature"`  // base64 Ed25519 over Message()
}

// Message is what the signature covers.
func (c Checkpoint) Message() []byte {
	return []byte(CheckpointFormat + "\nentries=" + strconv.FormatInt(c.Entries, 10) + "\nhead=" + c.Head +
		"\nat=" + c.At.UTC().Format(time.RFC3339Nano) + "\n")
}

// SignCheckpoint signs the head of a chain of n entries ending in head.
func SignCheckpoint(key ed25519.PrivateKey, n int64, head string, at time.Time) Checkpoint {
	if n == 0 {
		head = Genesis
	}
	c := Checkpoint{Format: CheckpointFormat, Entries: n, Head: head, At: at.UTC()}
	c.PublicKey = base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey))
	c.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, c.Message()))
	return c
}

// ParseCheckpoint reads a checkpoint file and checks its signature with
// pub, the key of the key file (never the key the file itself names).
func ParseCheckpoint(b []byte, pub ed25519.PublicKey) (Checkpoint, error) {
	var c Checkpoint
	if err := json.Unmarshal(b, &c); err != nil || c.Format != CheckpointFormat {
		return c, errors.New("checkpointen går inte att läsa (inte en narvard-checkpoint)")
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || !ed25519.Verify(pub, c.Message(), sig) {
		return c, errors.New("checkpointens signatur stämmer inte med nyckeln (ändrad, eller signerad med en annan nyckel)")
	}
	return c, nil
}

// CheckCheckpoint compares a verified checkpoint with the chain: the chain
// must be at least as long and hold the checkpoint's head at its place.
func CheckCheckpoint(c Checkpoint, entries []Entry) *Break {
	n := int64(len(entries))
	switch {
	case c.Entries == 0:
		return nil
	case n < c.Entries:
		return &Break{n + 1, fmt.Sprintf("saknas: loggen har %d poster men hade %d vid checkpointen %s (loggen har kortats eller tömts)",
			n, c.Entries, c.At.Format(time.RFC3339))}
	case entries[c.Entries-1].Hash != c.Head:
		return &Break{c.Entries, fmt.Sprintf("stämmer inte med checkpointen %s (kedjan har skrivits om och räknats om)", c.At.Format(time.RFC3339))}
	}
	return nil
}

// KeyEnv names the environment variable that can give the signing key's
// path.
const KeyEnv = "NARVARD_AUDIT_KEY"

// KeyPath is where the signing key is kept: the path in $NARVARD_AUDIT_KEY,
// else beside the data directory (DIR.audit-key), never inside it, so that
// a copy of the data directory carries no key. Without either it returns
// "".
func KeyPath(dataDir string) string {
	if p := os.Getenv(KeyEnv); p != "" {
		return p
	}
	if dataDir == "" {
		return ""
	}
	return trimSlash(dataDir) + ".audit-key"
}

func trimSlash(p string) string {
	for len(p) > 1 && (p[len(p)-1] == '/' || p[len(p)-1] == os.PathSeparator) {
		p = p[:len(p)-1]
	}
	return p
}

// LoadKey reads the Ed25519 private key at path (PKCS #8 in PEM).
func LoadKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("signeringsnyckeln: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("signeringsnyckeln %s: ingen PEM-nyckel", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("signeringsnyckeln %s: %w", path, err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("signeringsnyckeln %s: inte en Ed25519-nyckel", path)
	}
	return ek, nil
}

// LoadOrCreateKey reads the key at path, creating a new one (mode 0600,
// never overwriting) if there is none.
func LoadOrCreateKey(path string) (ed25519.PrivateKey, bool, error) {
	k, err := LoadKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, false, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, false, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("signeringsnyckeln: %w", err)
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		f.Close()
		return nil, false, fmt.Errorf("signeringsnyckeln: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, false, fmt.Errorf("signeringsnyckeln: %w", err)
	}
	return priv, true, nil
}
