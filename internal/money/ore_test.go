package money

import (
	"math"
	"testing"
)

func TestOre(t *testing.T) {
	tests := []struct {
		o    Ore
		kr   Kr
		text string
	}{
		{0, 0, "0,00"},
		{49, 0, "0,49"},
		{50, 1, "0,50"},
		{-49, 0, "-0,49"},
		{-50, -1, "-0,50"},
		{123456, 1235, "1 234,56"},
		{-123449, -1234, "-1 234,49"},
		{math.MaxInt64, 92233720368547758, "92 233 720 368 547 758,07"},
		{math.MinInt64, -92233720368547758, "-92 233 720 368 547 758,08"},
	}
	for _, tt := range tests {
		if got := tt.o.Kronor(); got != tt.kr {
			t.Errorf("Ore(%d).Kronor() = %d, want %d", tt.o, got, tt.kr)
		}
		if got := tt.o.String(); got != tt.text {
			t.Errorf("Ore(%d).String() = %q, want %q", tt.o, got, tt.text)
		}
	}
}
