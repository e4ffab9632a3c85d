package sie

import (
	"hash/crc32"
	"strconv"
)

func checksumOf(b []byte) string {
	return strconv.FormatUint(uint64(crc32.ChecksumIEEE(b)), 10)
}
