// Package files holds the FileStore adapters, where generated documents (purchase contracts) and attachments
// keep their bytes outside database transactions: Memory for tests and single-process embedding, Dir for a
// directory on disk. Both accept the same keys (see ValidKey) and pass the shared suite in filestest.
package files
