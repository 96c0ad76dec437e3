package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServerKeepsContractsInFilesDir(t *testing.T) {
	dir := t.TempDir()
	s := start(t, "-files", dir)
	north := s.tokens["Дилерский центр Север/sales_manager"]
	code, body := s.get(t, "/api/v1/sales?status=won", north)
	require.Equal(t, 200, code, body)
	sale := body["items"].([]any)[0].(map[string]any)["id"].(string)

	resp, err := s.do("POST", "/api/v1/sales/"+sale+"/contract", north)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 201, resp.StatusCode)

	var pdfs []string
	require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".pdf") {
			pdfs = append(pdfs, path)
		}
		return err
	}))
	require.Len(t, pdfs, 1, "the contract PDF is written under -files")
	data, err := os.ReadFile(pdfs[0])
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(data), "%PDF-"))
	assert.Contains(t, pdfs[0], sale)
}
