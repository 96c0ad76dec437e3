package httpapi

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
	"go/format"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// The generator of jsonenc_gen.go: it walks the view types the route table answers with (reflection at
// generation time only) and writes, for each struct type of this package, an appender with the bytes
// encoding/json writes for it. Regenerate after changing a view type (the tag leaves the stale file out of the
// build, so that it regenerates even when a field it names is gone):
//
//	go test -tags noencoders ./adapters/httpapi -run TestGeneratedEncoders -update

const genFile = "jsonenc_gen.go"

// TestGeneratedEncoders fails when jsonenc_gen.go is not what the generator writes for today's view types.
func TestGeneratedEncoders(t *testing.T) {
	f := newFixture(t)
	src, _, err := generateEncoders(viewRoots(f.h))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(genFile, src, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(genFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, src) {
		t.Errorf("%s is stale: run go test -tags noencoders ./adapters/httpapi -run TestGeneratedEncoders -update", genFile)
	}
}

// viewRoots are the response types of every route: the struct each route answers with, and a list's item type.
func viewRoots(h *Handler) []reflect.Type {
	var roots []reflect.Type
	for _, rt := range h.routes {
		if rt.Out == nil {
			continue
		}
		t := reflect.TypeOf(rt.Out)
		if ls, ok := rt.Out.(listSample); ok {
			t = reflect.TypeOf(ls.itemSample())
		}
		roots = append(roots, t)
	}
	return roots
}

var (
	typeUUID  = reflect.TypeFor[uuid.UUID]()
	typeMarsh = reflect.TypeFor[json.Marshaler]()
	typeText  = reflect.TypeFor[encoding.TextMarshaler]()
	thisPkg   = reflect.TypeFor[Handler]().PkgPath()
)

// genField is a struct field as encoding/json sees it (typeFields: embedded structs' fields promoted, the
// dominant one kept where names collide).
type genField struct {
	name      string
	index     []int
	path      string // the Go selector from the struct: .contactOut.Name
	typ       reflect.Type
	tagged    bool
	omitEmpty bool
}

// genFields returns t's fields in encoding/json's order, following its rules (encoding/json.typeFields).
func genFields(t reflect.Type) ([]genField, error) {
	type level struct {
		typ   reflect.Type
		index []int
		path  string
	}
	var fields []genField
	current, next := []level{}, []level{{typ: t}}
	var count map[reflect.Type]int
	nextCount := map[reflect.Type]int{}
	visited := map[reflect.Type]bool{}
	for len(next) > 0 {
		current, next = next, current[:0]
		count, nextCount = nextCount, map[reflect.Type]int{}
		for _, f := range current {
			if visited[f.typ] {
				continue
			}
			visited[f.typ] = true
			for i := 0; i < f.typ.NumField(); i++ {
				sf := f.typ.Field(i)
				if sf.Anonymous {
					et := sf.Type
					if et.Kind() == reflect.Pointer {
						et = et.Elem()
					}
					if !sf.IsExported() && et.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				index := append(append([]int(nil), f.index...), i)
				path := f.path + "." + sf.Name
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				for _, o := range strings.Split(opts, ",") {
					switch o {
					case "", "omitempty":
					default:
						return nil, fmt.Errorf("%s.%s: option %q not supported by the generator", t, sf.Name, o)
					}
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					if sf.Anonymous && sf.Type.Kind() == reflect.Pointer {
						return nil, fmt.Errorf("%s.%s: an embedded pointer is not supported by the generator", t, sf.Name)
					}
					gf := genField{name: name, tagged: name != "", index: index, path: path, typ: sf.Type,
						omitEmpty: strings.Contains(","+opts+",", ",omitempty,")}
					if gf.name == "" {
						gf.name = sf.Name
					}
					fields = append(fields, gf)
					if count[f.typ] > 1 {
						fields = append(fields, fields[len(fields)-1])
					}
					continue
				}
				if sf.Type.Kind() == reflect.Pointer {
					return nil, fmt.Errorf("%s.%s: an embedded pointer is not supported by the generator", t, sf.Name)
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, level{typ: ft, index: index, path: path})
				}
			}
		}
	}
	sort.SliceStable(fields, func(i, j int) bool {
		x, y := fields[i], fields[j]
		if x.name != y.name {
			return x.name < y.name
		}
		if len(x.index) != len(y.index) {
			return len(x.index) < len(y.index)
		}
		if x.tagged != y.tagged {
			return x.tagged
		}
		return indexLess(x.index, y.index)
	})
	out := fields[:0]
	for advance, i := 0, 0; i < len(fields); i += advance {
		fi := fields[i]
		for advance = 1; i+advance < len(fields); advance++ {
			if fields[i+advance].name != fi.name {
				break
			}
		}
		if advance == 1 {
			out = append(out, fi)
			continue
		}
		if d := fields[i : i+advance]; !(len(d[0].index) == len(d[1].index) && d[0].tagged == d[1].tagged) {
			out = append(out, d[0])
		}
	}
	sort.Slice(out, func(i, j int) bool { return indexLess(out[i].index, out[j].index) })
	return out, nil
}

func indexLess(a, b []int) bool {
	for k, x := range a {
		if k >= len(b) {
			return false
		}
		if x != b[k] {
			return x < b[k]
		}
	}
	return len(a) < len(b)
}

// encoderGen writes the appenders.
type encoderGen struct {
	named   map[reflect.Type]bool // the struct types of this package with an appender
	queue   []reflect.Type
	out     bytes.Buffer
	vars    int
	imports map[string]bool
}

// generateEncoders returns the source of jsonenc_gen.go for the views reachable from roots, and those view types.
func generateEncoders(roots []reflect.Type) ([]byte, map[reflect.Type]bool, error) {
	g := &encoderGen{named: map[reflect.Type]bool{}, imports: map[string]bool{}}
	for _, t := range roots {
		g.want(t)
	}
	var body bytes.Buffer
	for len(g.queue) > 0 {
		sort.Slice(g.queue, func(i, j int) bool { return g.queue[i].Name() < g.queue[j].Name() })
		t := g.queue[0]
		g.queue = g.queue[1:]
		g.out.Reset()
		if err := g.structFunc(t); err != nil {
			return nil, nil, err
		}
		body.Write(g.out.Bytes())
	}
	var src bytes.Buffer
	src.WriteString("// Code generated by TestGeneratedEncoders (go test -tags noencoders ./adapters/httpapi -run TestGeneratedEncoders -update); DO NOT EDIT.\n\n")
	src.WriteString("//go:build !noencoders\n\n")
	src.WriteString("package httpapi\n\n")
	if len(g.imports) > 0 {
		var imps []string
		for p := range g.imports {
			imps = append(imps, strconv.Quote(p))
		}
		sort.Strings(imps)
		src.WriteString("import (\n" + strings.Join(imps, "\n") + "\n)\n\n")
	}
	src.Write(body.Bytes())
	formatted, err := format.Source(src.Bytes())
	if err != nil {
		return nil, nil, fmt.Errorf("%w\n%s", err, src.Bytes())
	}
	return formatted, g.named, nil
}

// want queues t (or what it points to or holds) when it is a named struct of this package without an appender yet.
func (g *encoderGen) want(t reflect.Type) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t.PkgPath() != thisPkg || t.Name() == "" || strings.Contains(t.Name(), "[") || g.named[t] {
		return
	}
	if special(t) {
		return
	}
	g.named[t] = true
	g.queue = append(g.queue, t)
}

func special(t reflect.Type) bool {
	switch t {
	case typeMoney, typeStamp, typePercent, typeDecimal, typeUUID, typeTime:
		return true
	}
	return false
}

func (g *encoderGen) printf(format string, args ...any) { fmt.Fprintf(&g.out, format, args...) }

func (g *encoderGen) structFunc(t reflect.Type) error {
	name := t.Name()
	g.printf("func (v %s) appendJSON(b []byte) []byte { return v.appendJSONTo(b) }\n\n", name)
	g.printf("func (v *%s) appendJSONTo(b []byte) []byte {\n", name)
	if err := g.structBody("v", t); err != nil {
		return err
	}
	g.printf("return b\n}\n\n")
	return nil
}

// structBody appends the object of the struct expression x of type t.
func (g *encoderGen) structBody(x string, t reflect.Type) error {
	fields, err := genFields(t)
	if err != nil {
		return err
	}
	if len(fields) == 0 {
		g.printf("b = append(b, \"{}\"...)\n")
		return nil
	}
	g.printf("b = append(b, '{')\n")
	start := ""
	if _, omittable := nonEmpty("", fields[0].typ); fields[0].omitEmpty && omittable {
		g.vars++
		start = fmt.Sprintf("start%d", g.vars)
		g.printf("%s := len(b)\n", start)
	}
	sure := false // a field has certainly been written, so the next key starts with a comma
	for i, f := range fields {
		key := string(appendJSONString(nil, f.name)) + ":"
		expr := x + f.path
		cond, omittable := nonEmpty(expr, f.typ)
		omittable = omittable && f.omitEmpty
		if omittable {
			g.printf("if %s {\n", cond)
		}
		switch {
		case i == 0:
			g.printf("b = append(b, %s...)\n", strconv.Quote(key))
		case sure:
			g.printf("b = append(b, %s...)\n", strconv.Quote(","+key))
		default:
			g.printf("if len(b) != %s {\nb = append(b, ',')\n}\nb = append(b, %s...)\n", start, strconv.Quote(key))
		}
		if err := g.value(expr, f.typ); err != nil {
			return fmt.Errorf("%s.%s: %w", t, f.name, err)
		}
		if omittable {
			g.printf("}\n")
		} else {
			sure = true
		}
	}
	g.printf("b = append(b, '}')\n")
	return nil
}

// nonEmpty is the Go condition under which encoding/json writes a field marked omitempty; false when it always does
// (a struct).
func nonEmpty(x string, t reflect.Type) (string, bool) {
	switch t.Kind() {
	case reflect.Bool:
		return x, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return x + " != 0", true
	case reflect.String:
		return x + ` != ""`, true
	case reflect.Pointer, reflect.Interface:
		return x + " != nil", true
	case reflect.Slice, reflect.Map:
		return "len(" + x + ") != 0", true
	case reflect.Array:
		if t.Len() == 0 {
			return "false", true
		}
		return "", false
	}
	return "", false
}

// value appends the JSON of the addressable expression x of type t.
func (g *encoderGen) value(x string, t reflect.Type) error {
	switch t {
	case typeMoney:
		g.printf("b = %s.AppendJSON(b)\n", x)
		return nil
	case typeStamp:
		g.printf("b = appendJSONStamp(b, %s)\n", x)
		return nil
	case typePercent:
		g.printf("b = appendJSONPercent(b, %s)\n", x)
		return nil
	case typeDecimal:
		g.printf("b = appendJSONDecimal(b, %s)\n", x)
		return nil
	case typeUUID:
		g.printf("b = appendJSONUUID(b, %s)\n", x)
		return nil
	case typeTime:
		g.printf("b = appendJSONTime(b, %s)\n", x)
		return nil
	}
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		if t.Implements(typeMarsh) || t.Implements(typeText) {
			g.printf("b = appendMarshaled(b, %s)\n", x)
			return nil
		}
		if pt := reflect.PointerTo(t); pt.Implements(typeMarsh) || pt.Implements(typeText) {
			return fmt.Errorf("%s marshals through a pointer receiver: not supported by the generator", t)
		}
	}
	switch t.Kind() {
	case reflect.Bool:
		g.printf("b = strconv.AppendBool(b, bool(%s))\n", x)
		g.imports["strconv"] = true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		g.printf("b = strconv.AppendInt(b, int64(%s), 10)\n", x)
		g.imports["strconv"] = true
	case reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr, reflect.Uint8:
		g.printf("b = strconv.AppendUint(b, uint64(%s), 10)\n", x)
		g.imports["strconv"] = true
	case reflect.Float32:
		g.printf("b = appendJSONFloat(b, float64(%s), 32)\n", x)
	case reflect.Float64:
		g.printf("b = appendJSONFloat(b, float64(%s), 64)\n", x)
	case reflect.String:
		if t == reflect.TypeFor[json.Number]() {
			g.printf("b = appendMarshaled(b, %s)\n", x)
			return nil
		}
		g.printf("b = appendJSONString(b, string(%s))\n", x)
	case reflect.Pointer:
		g.printf("if %s == nil {\nb = append(b, \"null\"...)\n} else {\n", x)
		if err := g.value("(*"+x+")", t.Elem()); err != nil {
			return err
		}
		g.printf("}\n")
	case reflect.Interface, reflect.Map:
		g.printf("b = appendMarshaled(b, %s)\n", x)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			g.printf("b = appendMarshaled(b, %s)\n", x)
			return nil
		}
		g.vars++
		i := fmt.Sprintf("i%d", g.vars)
		g.printf("if %s == nil {\nb = append(b, \"null\"...)\n} else {\nb = append(b, '[')\nfor %s := range %s {\nif %s > 0 {\nb = append(b, ',')\n}\n", x, i, x, i)
		if err := g.value(x+"["+i+"]", t.Elem()); err != nil {
			return err
		}
		g.printf("}\nb = append(b, ']')\n}\n")
	case reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			g.printf("b = appendMarshaled(b, %s)\n", x)
			return nil
		}
		g.vars++
		i := fmt.Sprintf("i%d", g.vars)
		g.printf("b = append(b, '[')\nfor %s := range %s {\nif %s > 0 {\nb = append(b, ',')\n}\n", i, x, i)
		if err := g.value(x+"["+i+"]", t.Elem()); err != nil {
			return err
		}
		g.printf("}\nb = append(b, ']')\n")
	case reflect.Struct:
		if t.PkgPath() == thisPkg && t.Name() != "" && !strings.Contains(t.Name(), "[") {
			g.want(t)
			g.printf("b = %s.appendJSONTo(b)\n", x)
			return nil
		}
		if t.Name() != "" && t.PkgPath() != thisPkg {
			// another package's struct: its exported fields are reachable by selector
			for i := 0; i < t.NumField(); i++ {
				if sf := t.Field(i); !sf.IsExported() && sf.Anonymous {
					return fmt.Errorf("%s embeds an unexported field: not supported by the generator", t)
				}
			}
		}
		if strings.Contains(t.Name(), "[") {
			g.printf("b = appendMarshaled(b, %s)\n", x)
			return nil
		}
		return g.structBody(x, t)
	default:
		return fmt.Errorf("%s: kind %s not supported by the generator", t, t.Kind())
	}
	return nil
}

// hostileStrings are texts whose escaping differs between careless encoders and encoding/json.
var hostileStrings = []string{"", "Лада Веста", "a\"b\\c", "<script>&amp;</script>", "\x00\x01\x1f\x7f", "\b\f\n\r\t",
	"\u2028\u2029", "\xff\xfe", "a\xc3", "\xed\xa0\x80", "😀 emoji", "\ufffd", "tab\tend", "'single'", "/slash/"}

// fillValue sets every exported field v holds, recursively, from r: strings from hostileStrings, numbers of
// every sign and size, nil and non-nil pointers, empty, nil and full slices. Which branch each choice takes
// depends on r, so running it with many seeds covers the omitempty and null cases of every field.
func fillValue(v reflect.Value, r *rand.Rand, depth int) {
	switch v.Type() {
	case typeMoney:
		v.Set(reflect.ValueOf(crm.NewMoney(decimal.New(r.Int64N(2e12)-1e12, -int32(r.IntN(5))), []crm.Currency{"RUB", "USD", "JPY", "KWD"}[r.IntN(4)])))
		return
	case typeStamp:
		v.Set(reflect.ValueOf(stamp(time.Unix(r.Int64N(4e9), r.Int64N(1e9)).In(time.FixedZone("MSK", 3*3600)))))
		return
	case typeTime:
		v.Set(reflect.ValueOf(time.Unix(r.Int64N(4e9), []int64{0, 1e6, r.Int64N(1e9)}[r.IntN(3)]).UTC()))
		return
	case typeDecimal:
		v.Set(reflect.ValueOf(decimal.New(r.Int64N(2e9)-1e9, -int32(r.IntN(6)))))
		return
	case typePercent:
		v.Set(reflect.ValueOf(percent(decimal.New(r.Int64N(2e6)-1e6, -int32(r.IntN(4))))))
		return
	case typeID:
		v.Set(reflect.ValueOf(uuid.New()))
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x := []int64{0, 1, -1, r.Int64N(1 << 40), -r.Int64N(100)}[r.IntN(5)]
		if v.OverflowInt(x) {
			x = 7
		}
		v.SetInt(x)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		x := uint64(r.IntN(300))
		if v.OverflowUint(x) {
			x = 7
		}
		v.SetUint(x)
	case reflect.Float32, reflect.Float64:
		v.SetFloat([]float64{0, 1.5, -2.25, 1e21, 1e-7, 123456.789, r.Float64() * 1e6}[r.IntN(7)])
	case reflect.String:
		if r.IntN(3) == 0 {
			v.SetString(hostileStrings[r.IntN(len(hostileStrings))])
		} else {
			v.SetString(hostileStrings[r.IntN(len(hostileStrings))] + hostileStrings[r.IntN(len(hostileStrings))])
		}
	case reflect.Pointer:
		if r.IntN(3) == 0 || depth > 6 {
			v.SetZero()
			return
		}
		p := reflect.New(v.Type().Elem())
		fillValue(p.Elem(), r, depth+1)
		v.Set(p)
	case reflect.Slice:
		switch n := r.IntN(4); {
		case n == 0 || depth > 6:
			v.SetZero()
		default:
			s := reflect.MakeSlice(v.Type(), n-1, n-1)
			for i := range n - 1 {
				fillValue(s.Index(i), r, depth+1)
			}
			v.Set(s)
		}
	case reflect.Array:
		for i := range v.Len() {
			fillValue(v.Index(i), r, depth+1)
		}
	case reflect.Map:
		if r.IntN(3) == 0 || depth > 6 {
			v.SetZero()
			return
		}
		m := reflect.MakeMap(v.Type())
		for range r.IntN(4) {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fillValue(k, r, depth+1)
			fillValue(e, r, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Interface:
		if r.IntN(2) == 0 {
			v.SetZero()
		} else if v.Type().NumMethod() == 0 {
			v.Set(reflect.ValueOf(map[string]any{"k": hostileStrings[r.IntN(len(hostileStrings))], "n": 1.5}))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillValue(v.Field(i), r, depth+1)
			}
		}
	}
}

// skipWithoutEncoders skips a test of the appenders in a build without jsonenc_gen.go (-tags noencoders).
func skipWithoutEncoders(t *testing.T) {
	if _, ok := any(vehicleOut{}).(jsonAppender); !ok {
		t.Skip("built without the generated encoders")
	}
}

// TestEncodersMatchEncodingJSON encodes every view type the routes answer with (and a list of each), filled at
// random 300 times, through its generated appender and through encoding/json, and wants the same bytes.
func TestEncodersMatchEncodingJSON(t *testing.T) {
	skipWithoutEncoders(t)
	f := newFixture(t)
	_, named, err := generateEncoders(viewRoots(f.h))
	if err != nil {
		t.Fatal(err)
	}
	types := make([]reflect.Type, 0, len(named))
	for t := range named {
		types = append(types, t)
	}
	if len(types) < 50 {
		t.Fatalf("only %d view types found", len(types))
	}
	for _, typ := range types {
		t.Run(typ.Name(), func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(len(typ.Name()))))
			for n := range 300 {
				p := reflect.New(typ)
				if n > 0 {
					fillValue(p.Elem(), r, 0)
				}
				a, ok := p.Elem().Interface().(jsonAppender)
				if !ok {
					t.Fatalf("%s has no appender: regenerate %s", typ, genFile)
				}
				want, err := json.Marshal(p.Interface())
				if err != nil {
					t.Fatal(err)
				}
				if got := a.appendJSON(nil); !bytes.Equal(got, want) {
					t.Fatalf("fill %d:\n got %s\nwant %s", n, got, want)
				}
				if got := p.Interface().(jsonPtrAppender).appendJSONTo([]byte("x")); !bytes.Equal(got[1:], want) {
					t.Fatalf("fill %d, through the pointer:\n got %s\nwant %s", n, got[1:], want)
				}
			}
		})
	}
	t.Run("list", func(t *testing.T) {
		r := rand.New(rand.NewPCG(2, 3))
		for n := range 200 {
			var l listOut[vehicleOut]
			fillValue(reflect.ValueOf(&l).Elem(), r, 0)
			want, err := json.Marshal(l)
			if err != nil {
				t.Fatal(err)
			}
			if got := l.appendJSON(nil); !bytes.Equal(got, want) {
				t.Fatalf("list %d:\n got %s\nwant %s", n, got, want)
			}
		}
	})
}

// TestWriteJSONMatchesEncoder holds writeJSON's body to encoding/json's Encoder for a view, a list and a value with
// no appender (a map).
func TestWriteJSONMatchesEncoder(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 5))
	var v vehicleOut
	fillValue(reflect.ValueOf(&v).Elem(), r, 0)
	for _, x := range []any{v, listOf([]vehicleOut{v, v}, "next"), map[string]any{"a": "<b>"}, []int{1}} {
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(x); err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		if err := writeJSON(w, 200, x); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(w.Body.Bytes(), want.Bytes()) {
			t.Errorf("%T:\n got %s\nwant %s", x, w.Body.Bytes(), want.Bytes())
		}
	}
}

// FuzzEncodeString holds appendJSONString to encoding/json for any text, and a whole view to it with the text in
// every string field.
func FuzzEncodeString(f *testing.F) {
	if _, ok := any(vehicleOut{}).(jsonAppender); !ok {
		f.Skip("built without the generated encoders")
	}
	for _, s := range hostileStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n got %s\nwant %s", s, got, want)
		}
		var v vehicleOut
		setStrings(reflect.ValueOf(&v).Elem(), s)
		want, err = json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := any(v).(jsonAppender).appendJSON(nil); !bytes.Equal(got, want) {
			t.Fatalf("%q in a vehicle:\n got %s\nwant %s", s, got, want)
		}
	})
}

// setStrings sets every string field of v's structs (not behind pointers) to s.
func setStrings(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Struct:
		if v.Type() == typeMoney || v.Type() == typeDecimal || v.Type() == typeStamp {
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				setStrings(v.Field(i), s)
			}
		}
	}
}

// TestStampAppender holds appendJSONStamp to stamp.MarshalJSON across years, zones and fractions.
func TestStampAppender(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 7))
	zones := []*time.Location{time.UTC, time.FixedZone("MSK", 3*3600), time.FixedZone("W", -9*3600-1800)}
	for _, tm := range []time.Time{{}, time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 1000, time.UTC)} {
		want, _ := stamp(tm).MarshalJSON()
		if got := appendJSONStamp(nil, stamp(tm)); !bytes.Equal(got, want) {
			t.Errorf("%v: got %s, want %s", tm, got, want)
		}
	}
	for range 20000 {
		tm := time.Unix(r.Int64N(1<<37)-1<<36, r.Int64N(1e9)).In(zones[r.IntN(len(zones))])
		want, _ := stamp(tm).MarshalJSON()
		if got := appendJSONStamp(nil, stamp(tm)); !bytes.Equal(got, want) {
			t.Fatalf("%v: got %s, want %s", tm, got, want)
		}
	}
}

// TestWriteListMatchesListOf holds writeList to the list it replaces, for views with and without an appender.
func TestWriteListMatchesListOf(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for n := range 50 {
		items := make([]vehicleOut, n%4)
		for i := range items {
			fillValue(reflect.ValueOf(&items[i]).Elem(), r, 0)
		}
		next := []string{"", "abc", "<&>"}[n%3]
		same := func(v vehicleOut) vehicleOut { return v }
		for _, c := range []struct {
			name string
			got  func(w http.ResponseWriter) error
			want any
		}{
			{"view", func(w http.ResponseWriter) error { return writeList(w, items, same, next) }, listOf(mapList(items, same), next)},
			{"no appender", func(w http.ResponseWriter) error {
				return writeList(w, items, func(v vehicleOut) map[string]string { return map[string]string{"vin": v.VIN} }, next)
			}, listOf(mapList(items, func(v vehicleOut) map[string]string { return map[string]string{"vin": v.VIN} }), next)},
		} {
			var want bytes.Buffer
			if err := json.NewEncoder(&want).Encode(c.want); err != nil {
				t.Fatal(err)
			}
			w := httptest.NewRecorder()
			if err := c.got(w); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(w.Body.Bytes(), want.Bytes()) {
				t.Fatalf("%s %d:\n got %s\nwant %s", c.name, n, w.Body.Bytes(), want.Bytes())
			}
		}
	}
}

// TestScalarAppenders holds the appenders the generator emits for time.Time, decimal.Decimal and float fields
// (no view has one today) to encoding/json.
func TestScalarAppenders(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 11))
	for range 2000 {
		tm := time.Unix(r.Int64N(1<<36), []int64{0, 1e6, r.Int64N(1e9)}[r.IntN(3)]).In(time.FixedZone("X", 3600*r.IntN(10)))
		d := decimal.New(r.Int64N(1<<40)-1<<39, -int32(r.IntN(8)))
		f := []float64{0, -0.5, 1e21, 1e-7, 3.14159, r.NormFloat64() * 1e9}[r.IntN(6)]
		for _, c := range []struct {
			got []byte
			v   any
		}{{appendJSONTime(nil, tm), tm}, {appendJSONDecimal(nil, d), d}, {appendJSONFloat(nil, f, 64), f},
			{appendJSONFloat(nil, float64(float32(f)), 32), float32(f)}} {
			want, err := json.Marshal(c.v)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(c.got, want) {
				t.Fatalf("%T %v: got %s, want %s", c.v, c.v, c.got, want)
			}
		}
	}
}
