// Package sie reads SIE 4 files, the Swedish standard format in which
// accounting systems (Raindance, Unit4/Agresso, Visma, Fortnox …) export
// their books: the chart of accounts (#KONTO), dimensions and objects such
// as cost centres (#DIM, #OBJEKT), the financial years (#RAR) and the
// verifications (#VER) with their transactions (#TRANS) and object lists.
//
// A file is read whole or refused whole: every problem is an *Error naming
// the file, the line and the record, in Swedish. Amounts are integer öre;
// text is decoded from code page 437 (#FORMAT PC8, the standard's only
// character set).
package sie
