package smtp

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime/quotedprintable"
	"strings"

	"github.com/emersion/go-sasl"
)

// loginServer is the server side of AUTH LOGIN: it asks for the user name unless given, then the password.
type loginServer struct {
	check func(user, password string) error
	user  string
	step  int
}

func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step = 1
		if len(response) == 0 {
			return []byte("Username:"), false, nil
		}
		l.user, l.step = string(response), 2
		return []byte("Password:"), false, nil
	case 1:
		l.user, l.step = string(response), 2
		return []byte("Password:"), false, nil
	default:
		return nil, true, l.check(l.user, string(response))
	}
}

// xoauth2Server is the server side of XOAUTH2.
type xoauth2Server struct {
	check func(user, token string) error
}

func (x *xoauth2Server) Next(response []byte) ([]byte, bool, error) {
	var user, token string
	for _, f := range bytes.Split(response, []byte{1}) {
		switch s := string(f); {
		case strings.HasPrefix(s, "user="):
			user = strings.TrimPrefix(s, "user=")
		case strings.HasPrefix(s, "auth=Bearer "):
			token = strings.TrimPrefix(s, "auth=Bearer ")
		}
	}
	if user == "" || token == "" {
		return nil, true, sasl.ErrUnexpectedClientResponse
	}
	return nil, true, x.check(user, token)
}

// decodeBody undoes a content transfer encoding.
func decodeBody(r io.Reader, encoding string) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r)
	}
	return r
}
