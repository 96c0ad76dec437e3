// Package demo seeds the demonstration data of the example server and tests: two Russian dealerships ("Дилерский
// центр Север" in Moscow and "Автоцентр Юг" in Krasnodar) with full requisites, four users each (admin, sales
// manager, service advisor, read-only), 25 vehicles each of models sold in Russia (some in transit), ten leads each
// with Cyrillic names plus one imported as ADF, test drives booked on the next days (their cars reserved), and
// sales in several stages: open ones, two won (cars sold, customer vehicles created) and one lost per dealer.
//
// Everything goes through the real services of an adapters/stack.Stack, so the data obeys every rule.
package demo
