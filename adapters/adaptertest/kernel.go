package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type stores = crm.Stores

func runKernel(t *testing.T, open Open) {
	t.Run("DocumentsPaging", func(t *testing.T) { documentsPaging(t, open) })
	t.Run("ViewIsOneSnapshot", func(t *testing.T) { viewIsOneSnapshot(t, open) })
	t.Run("DealerRoundTripsCyrillic", func(t *testing.T) {
		b := open(t)
		ctx, d := NewDealer(t, b, "Дилерский центр Север")
		d.Address = crm.Address{City: "Москва", Street: "ул. Ленина, д. 1"}
		d.UpdatedAt = Epoch.Add(time.Hour)
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error { return s.Dealers().Update(ctx, &d) }))
		assert.EqualValues(t, 2, d.Version)
		var got crm.Dealer
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).View(ctx, func(ctx context.Context, s stores) (err error) {
			got, err = s.Dealers().Get(ctx, d.ID)
			return err
		}))
		assert.Equal(t, "Дилерский центр Север", got.Name)
		assert.Equal(t, "Москва", got.Address.City)
		assert.EqualValues(t, 2, got.Version)
		assert.True(t, got.UpdatedAt.Equal(d.UpdatedAt))
	})

	t.Run("CustomerCRUDAndFindByContact", func(t *testing.T) {
		b := open(t)
		ctx, _ := NewDealer(t, b, "A")
		c, err := crm.NewCustomer(crm.ID{}, crm.Customer{Contact: crm.Contact{FirstName: "Иван", LastName: "Петров",
			Phones: []string{"+7 900 000-00-00"}, Emails: []string{"Ivan@Example.org"}},
			Document: crm.IdentityDocument{Type: "passport_ru", Series: "4510", Number: "123456"}}, Epoch)
		require.NoError(t, err)
		c.DealerID = crm.ID{}
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error { return s.Customers().Create(ctx, &c) }))
		assert.EqualValues(t, 1, c.Version)
		var found []crm.Customer
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).View(ctx, func(ctx context.Context, s stores) (err error) {
			found, err = s.Customers().FindByContact(ctx, "", "ivan@example.org")
			return err
		}))
		require.Len(t, found, 1)
		assert.Equal(t, "Петров", found[0].LastName)
		assert.Equal(t, []string{"+79000000000"}, found[0].Phones)
		assert.Equal(t, "4510", found[0].Document.Series)
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).View(ctx, func(ctx context.Context, s stores) (err error) {
			found, err = s.Customers().FindByContact(ctx, "+79000000000", "")
			return err
		}))
		assert.Len(t, found, 1)
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).View(ctx, func(ctx context.Context, s stores) (err error) {
			found, err = s.Customers().List(ctx, crm.ID{}, 10)
			return err
		}))
		assert.Len(t, found, 1)
	})

	t.Run("StaleVersionIsRefused", func(t *testing.T) {
		b := open(t)
		ctx, _ := NewDealer(t, b, "A")
		c := newCustomer(t, b, ctx, "Анна")
		first, second := c, c
		first.FirstName = "Анна-Мария"
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error { return s.Customers().Update(ctx, &first) }))
		second.FirstName = "Другая"
		err := crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error { return s.Customers().Update(ctx, &second) })
		require.Error(t, err)
		assert.True(t, errors.Is(err, crm.ErrStaleVersion), "got %v", err)
		got := getCustomer(t, b, ctx, c.ID)
		assert.Equal(t, "Анна-Мария", got.FirstName)
		assert.EqualValues(t, 2, got.Version)
	})

	t.Run("RollbackLeavesNothing", func(t *testing.T) {
		b := open(t)
		ctx, _ := NewDealer(t, b, "A")
		c := newCustomer(t, b, ctx, "Олег")
		boom := errors.New("boom")
		var created crm.Customer
		err := crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error {
			upd := c
			upd.FirstName = "Changed"
			if err := s.Customers().Update(ctx, &upd); err != nil {
				return err
			}
			created = mustCustomer(t, "Nobody")
			if err := s.Customers().Create(ctx, &created); err != nil {
				return err
			}
			if err := s.Outbox().Enqueue(ctx, &crm.Message{Topic: "t", Recipient: "a@b.c", Subject: "s", Body: "b", CreatedAt: Epoch}); err != nil {
				return err
			}
			return boom
		})
		require.ErrorIs(t, err, boom)
		assert.Equal(t, "Олег", getCustomer(t, b, ctx, c.ID).FirstName)
		err = crm.NewUnit[crm.Stores](b, nil).View(ctx, func(ctx context.Context, s stores) error {
			_, err := s.Customers().Get(ctx, created.ID)
			return err
		})
		assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
		assert.Empty(t, outbox(t, b, ctx))
	})

	t.Run("PanicRollsBack", func(t *testing.T) {
		b := open(t)
		ctx, _ := NewDealer(t, b, "A")
		var c crm.Customer
		assert.Panics(t, func() {
			_ = crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error {
				c = mustCustomer(t, "Panic")
				if err := s.Customers().Create(ctx, &c); err != nil {
					return err
				}
				panic("boom")
			})
		})
		err := crm.NewUnit[crm.Stores](b, nil).View(ctx, func(ctx context.Context, s stores) error {
			_, err := s.Customers().Get(ctx, c.ID)
			return err
		})
		assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
	})

	t.Run("DealerIsolation", func(t *testing.T) {
		b := open(t)
		ctxA, _ := NewDealer(t, b, "A")
		ctxB, _ := NewDealer(t, b, "B")
		c := newCustomer(t, b, ctxA, "Свой")
		err := crm.NewUnit[crm.Stores](b, nil).View(ctxB, func(ctx context.Context, s stores) error {
			_, err := s.Customers().Get(ctx, c.ID)
			return err
		})
		assert.True(t, errors.Is(err, crm.ErrNotFound), "dealer B must not see dealer A's customer: %v", err)
		other := c
		other.FirstName = "Чужой"
		err = crm.NewUnit[crm.Stores](b, nil).Update(ctxB, func(ctx context.Context, s stores) error { return s.Customers().Update(ctx, &other) })
		assert.Error(t, err)
		var list []crm.Customer
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).View(ctxB, func(ctx context.Context, s stores) (err error) {
			list, err = s.Customers().FindByContact(ctx, c.Phones[0], "")
			return err
		}))
		assert.Empty(t, list)
		assert.Equal(t, "Свой", getCustomer(t, b, ctxA, c.ID).FirstName)
		// A context without a dealer reaches nothing.
		err = crm.NewUnit[crm.Stores](b, nil).View(context.Background(), func(ctx context.Context, s stores) error {
			_, err := s.Customers().Get(ctx, c.ID)
			return err
		})
		assert.True(t, errors.Is(err, crm.ErrForbidden), "got %v", err)
	})

	t.Run("APIKeys", func(t *testing.T) {
		b := open(t)
		ctx, d := NewDealer(t, b, "A")
		u, err := crm.NewUser(d.ID, crm.User{Name: "Мария", Role: crm.RoleSalesManager}, Epoch)
		require.NoError(t, err)
		k, token, err := crm.NewAPIKey(u, "test", Epoch)
		require.NoError(t, err)
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error {
			if err := s.Users().Create(ctx, &u); err != nil {
				return err
			}
			return s.APIKeys().Create(ctx, &k)
		}))
		dup := k
		dup.ID = crm.ID{}
		err = crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error { return s.APIKeys().Create(ctx, &dup) })
		assert.True(t, errors.Is(err, crm.ErrConflict), "got %v", err)
		var got crm.APIKey
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).View(context.Background(), func(ctx context.Context, s stores) (err error) {
			got, err = s.APIKeys().FindByHash(ctx, crm.HashToken(token))
			return err
		}))
		assert.Equal(t, u.ID, got.UserID)
		assert.Equal(t, d.ID, got.DealerID)
		assert.True(t, got.Active())
		err = crm.NewUnit[crm.Stores](b, nil).View(context.Background(), func(ctx context.Context, s stores) error {
			_, err := s.APIKeys().FindByHash(ctx, crm.HashToken("nope"))
			return err
		})
		assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
		var withUser crm.APIKey
		var keyUser crm.User
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).View(context.Background(), func(ctx context.Context, s stores) (err error) {
			withUser, keyUser, err = s.APIKeys().FindWithUser(ctx, crm.HashToken(token))
			return err
		}))
		assert.Equal(t, got, withUser, "FindWithUser finds the key FindByHash finds")
		assert.Equal(t, u.ID, keyUser.ID)
		assert.Equal(t, d.ID, keyUser.DealerID)
		assert.Equal(t, "Мария", keyUser.Name)
		assert.Equal(t, crm.RoleSalesManager, keyUser.Role)
		assert.EqualValues(t, 1, keyUser.Version)
		err = crm.NewUnit[crm.Stores](b, nil).View(context.Background(), func(ctx context.Context, s stores) error {
			_, _, err := s.APIKeys().FindWithUser(ctx, crm.HashToken("nope"))
			return err
		})
		assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
		var users []crm.User
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).View(ctx, func(ctx context.Context, s stores) (err error) {
			users, err = s.Users().List(ctx)
			return err
		}))
		require.Len(t, users, 1)
		assert.Equal(t, crm.RoleSalesManager, users[0].Role)
	})

	t.Run("AuthenticateAPIKey", func(t *testing.T) { authenticateAPIKey(t, open) })
	t.Run("APIKeyLifetime", func(t *testing.T) {
		b := open(t)
		ctx, d := NewDealer(t, b, "A")
		ctxB, _ := NewDealer(t, b, "B")
		u, err := crm.NewUser(d.ID, crm.User{Name: "Мария", Role: crm.RoleAdmin}, Epoch)
		require.NoError(t, err)
		k1, _, err := crm.NewAPIKey(u, "первый", Epoch)
		require.NoError(t, err)
		exp := Epoch.Add(24 * time.Hour)
		k1.ExpiresAt = &exp
		k2, _, err := crm.NewAPIKey(u, "второй", Epoch.Add(time.Minute))
		require.NoError(t, err)
		// Stores stamp the unit's time: k1 is created first (at Epoch), k2 a minute later.
		clock := crm.NewManualClock(Epoch)
		require.NoError(t, crm.NewUnit[crm.Stores](b, clock).Update(ctx, func(ctx context.Context, s stores) error {
			if err := s.Users().Create(ctx, &u); err != nil {
				return err
			}
			return s.APIKeys().Create(ctx, &k1)
		}))
		clock.Advance(time.Minute)
		require.NoError(t, crm.NewUnit[crm.Stores](b, clock).Update(ctx, func(ctx context.Context, s stores) error {
			return s.APIKeys().Create(ctx, &k2)
		}))
		get := func(ctx context.Context, id crm.ID) (k crm.APIKey, err error) {
			err = crm.NewUnit[crm.Stores](b, nil).View(ctx, func(ctx context.Context, s stores) (err error) {
				k, err = s.APIKeys().Get(ctx, id)
				return err
			})
			return k, err
		}
		got, err := get(ctx, k1.ID)
		require.NoError(t, err)
		require.NotNil(t, got.ExpiresAt)
		assert.True(t, got.ExpiresAt.Equal(exp))
		assert.Nil(t, got.LastUsedAt)
		assert.True(t, got.UsableAt(exp.Add(-time.Second)))
		assert.False(t, got.UsableAt(exp), "a key is refused from its expiry on")
		_, err = get(ctxB, k1.ID)
		assert.True(t, errors.Is(err, crm.ErrNotFound), "another dealer's key: %v", err)

		used := Epoch.Add(time.Hour)
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error {
			return s.APIKeys().MarkUsed(ctx, k1.ID, used)
		}))
		got, err = get(ctx, k1.ID)
		require.NoError(t, err)
		require.NotNil(t, got.LastUsedAt)
		assert.True(t, got.LastUsedAt.Equal(used))
		assert.EqualValues(t, 1, got.Version, "a use is not an edit")
		err = crm.NewUnit[crm.Stores](b, nil).Update(ctxB, func(ctx context.Context, s stores) error { return s.APIKeys().MarkUsed(ctx, k1.ID, used) })
		assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)

		require.NoError(t, got.Revoke(Epoch.Add(2*time.Hour)))
		stale := got
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error { return s.APIKeys().Update(ctx, &got) }))
		assert.EqualValues(t, 2, got.Version)
		err = crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error { return s.APIKeys().Update(ctx, &stale) })
		assert.True(t, errors.Is(err, crm.ErrStaleVersion), "got %v", err)
		var found crm.APIKey
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).View(context.Background(), func(ctx context.Context, s stores) (err error) {
			found, err = s.APIKeys().FindByHash(ctx, k1.Hash)
			return err
		}))
		assert.False(t, found.Active(), "FindByHash sees the revocation")
		require.NotNil(t, found.RevokedAt)
		assert.True(t, found.RevokedAt.Equal(Epoch.Add(2*time.Hour)))

		var list []crm.APIKey
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).View(ctx, func(ctx context.Context, s stores) (err error) {
			list, err = s.APIKeys().ListByUser(ctx, u.ID)
			return err
		}))
		require.Len(t, list, 2)
		assert.Equal(t, []string{"первый", "второй"}, []string{list[0].Name, list[1].Name}, "oldest first")
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).View(ctxB, func(ctx context.Context, s stores) (err error) {
			list, err = s.APIKeys().ListByUser(ctx, u.ID)
			return err
		}))
		assert.Empty(t, list)
	})

	t.Run("OutboxClaimSendMark", func(t *testing.T) {
		b := open(t)
		ctx, _ := NewDealer(t, b, "A")
		ctxB, _ := NewDealer(t, b, "B")
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error {
			for i, subj := range []string{"Тест-драйв завтра", "second"} {
				m := &crm.Message{Topic: "test_drive.booked", Recipient: "ivan@example.org", Subject: subj, Body: "Ждём вас",
					Data: map[string]string{"n": subj}, CreatedAt: Epoch.Add(time.Duration(i) * time.Minute)}
				if err := s.Outbox().Enqueue(ctx, m); err != nil {
					return err
				}
			}
			return nil
		}))
		n := &recorder{failFirst: true}
		clock := crm.NewManualClock(Epoch.Add(time.Hour))
		relay := crm.NewRelay(crm.NewUnit[crm.Stores](b, nil), n, clock)
		sent, err := relay.RunOnce(ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, sent)
		sent, err = relay.RunOnce(ctx)
		require.NoError(t, err)
		assert.Equal(t, 0, sent, "the failed message waits for its backoff")
		clock.Advance(relay.RetryBase)
		sent, err = relay.RunOnce(ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, sent)
		sent, err = relay.RunOnce(ctx)
		require.NoError(t, err)
		assert.Equal(t, 0, sent)
		assert.Len(t, n.sent, 2)
		assert.Equal(t, "Тест-драйв завтра", n.sent[1].Subject)
		msgs := outbox(t, b, ctx)
		require.Len(t, msgs, 2)
		for _, m := range msgs {
			assert.NotNil(t, m.SentAt)
		}
		assert.Empty(t, outbox(t, b, ctxB))
	})
}

type recorder struct {
	failFirst bool
	sent      []crm.Message
}

func (r *recorder) Send(_ context.Context, m crm.Message) error {
	if r.failFirst {
		r.failFirst = false
		return errors.New("mail server down")
	}
	r.sent = append(r.sent, m)
	return nil
}

func mustCustomer(t *testing.T, name string) crm.Customer {
	t.Helper()
	c, err := crm.NewCustomer(crm.ID{}, crm.Customer{Contact: crm.Contact{FirstName: name, LastName: "Тестов",
		Phones: []string{fmt.Sprintf("+7 900 %07d", phoneSeq.Add(1))}}}, Epoch)
	require.NoError(t, err)
	c.DealerID = crm.ID{}
	return c
}

var phoneSeq atomic.Int64

func newCustomer(t *testing.T, b Backend, ctx context.Context, name string) crm.Customer {
	t.Helper()
	c := mustCustomer(t, name)
	require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error { return s.Customers().Create(ctx, &c) }))
	return c
}

func getCustomer(t *testing.T, b Backend, ctx context.Context, id crm.ID) crm.Customer {
	t.Helper()
	var c crm.Customer
	require.NoError(t, crm.NewUnit[crm.Stores](b, nil).View(ctx, func(ctx context.Context, s stores) (err error) {
		c, err = s.Customers().Get(ctx, id)
		return err
	}))
	return c
}

func outbox(t *testing.T, b Backend, ctx context.Context) []crm.Message {
	t.Helper()
	var out []crm.Message
	require.NoError(t, crm.NewUnit[crm.Stores](b, nil).View(ctx, func(ctx context.Context, s stores) (err error) {
		out, err = s.Outbox().List(ctx, 100)
		return err
	}))
	return out
}

// documentsPaging: a subject's documents are paged by keyset in the store, newest first; another subject's and
// another dealer's documents are not in the list.
func documentsPaging(t *testing.T, open Open) {
	b := open(t)
	ctx, _ := NewDealer(t, b, "Документы")
	otherCtx, _ := NewDealer(t, b, "Чужие документы")
	subject, elsewhere := crm.NewID(), crm.NewID()
	clock := crm.NewManualClock(Epoch)
	unit := crm.NewUnit[crm.Stores](b, clock)
	add := func(ctx context.Context, subject crm.ID, n int) {
		d := crm.Document{Kind: "contract", SubjectID: subject, Name: fmt.Sprintf("Договор %d.pdf", n),
			ContentType: "application/pdf", Size: 10, SHA256: strings.Repeat("a", 64), Key: fmt.Sprintf("k/%d", n)}
		require.NoError(t, unit.Update(ctx, func(ctx context.Context, s stores) error { return s.Documents().Create(ctx, &d) }))
	}
	add(otherCtx, subject, 0)
	RunPaging(t, Paging[crm.Document]{
		Page: func(pr crm.PageRequest) (page crm.Page[crm.Document], err error) {
			err = unit.View(ctx, func(ctx context.Context, s stores) error {
				page, err = s.Documents().PageBySubject(ctx, subject, pr)
				return err
			})
			return page, err
		},
		Insert: func(n int) {
			if n%3 != 1 { // some documents share their creation time: the ID orders them
				clock.Advance(time.Minute)
			}
			add(ctx, subject, n)
			add(ctx, elsewhere, 100+n)
		},
		ID: func(d crm.Document) crm.ID { return d.ID },
	})
}

// authenticateAPIKey checks crm.APIKeyAuthenticator, which both adapters' DB offer: FindWithUser's answer, and
// the use recorded only for a usable key whose last use is none or not after staleBefore, without a new version.
func authenticateAPIKey(t *testing.T, open Open) {
	b := open(t)
	auth, ok := b.(crm.APIKeyAuthenticator)
	require.True(t, ok, "%T does not authenticate in one statement (crm.APIKeyAuthenticator)", b)
	ctx, d := NewDealer(t, b, "A")
	u, err := crm.NewUser(d.ID, crm.User{Name: "Мария", Role: crm.RoleSalesManager}, Epoch)
	require.NoError(t, err)
	k, token, err := crm.NewAPIKey(u, "сайт", Epoch)
	require.NoError(t, err)
	exp := Epoch.Add(time.Hour)
	k.ExpiresAt = &exp
	require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error {
		if err := s.Users().Create(ctx, &u); err != nil {
			return err
		}
		return s.APIKeys().Create(ctx, &k)
	}))
	stored := func() crm.APIKey {
		var got crm.APIKey
		require.NoError(t, crm.NewUnit[crm.Stores](b, nil).View(ctx, func(ctx context.Context, s stores) (err error) {
			got, err = s.APIKeys().Get(ctx, k.ID)
			return err
		}))
		return got
	}
	authenticate := func(now time.Time) (crm.APIKey, crm.User, error) {
		return auth.AuthenticateAPIKey(context.Background(), crm.HashToken(token), now, now.Add(-time.Minute))
	}

	t0 := Epoch.Add(10 * time.Minute)
	got, gotUser, err := authenticate(t0)
	require.NoError(t, err)
	assert.Equal(t, k.ID, got.ID)
	assert.Equal(t, u.ID, gotUser.ID)
	assert.Equal(t, "Мария", gotUser.Name)
	assert.Equal(t, crm.RoleSalesManager, gotUser.Role)
	require.NotNil(t, got.LastUsedAt, "the first use is recorded")
	assert.True(t, got.LastUsedAt.Equal(t0))
	assert.True(t, stored().LastUsedAt.Equal(t0))
	assert.EqualValues(t, 1, stored().Version, "a use is not an edit")

	got, _, err = authenticate(t0.Add(59 * time.Second))
	require.NoError(t, err)
	assert.True(t, got.LastUsedAt.Equal(t0), "within the minute: not written again")
	assert.True(t, stored().LastUsedAt.Equal(t0))
	got, _, err = authenticate(t0.Add(time.Minute))
	require.NoError(t, err)
	assert.True(t, got.LastUsedAt.Equal(t0.Add(time.Minute)), "a minute on: written")
	assert.True(t, stored().LastUsedAt.Equal(t0.Add(time.Minute)))

	got, _, err = authenticate(exp)
	require.NoError(t, err, "an expired key is still found (the caller refuses it)")
	assert.True(t, got.LastUsedAt.Equal(t0.Add(time.Minute)), "an expired key's use is not recorded")
	assert.True(t, stored().LastUsedAt.Equal(t0.Add(time.Minute)))

	cur := stored()
	require.NoError(t, cur.Revoke(Epoch.Add(20*time.Minute)))
	require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error { return s.APIKeys().Update(ctx, &cur) }))
	got, _, err = authenticate(Epoch.Add(30 * time.Minute))
	require.NoError(t, err)
	assert.NotNil(t, got.RevokedAt)
	assert.True(t, stored().LastUsedAt.Equal(t0.Add(time.Minute)), "a revoked key's use is not recorded")

	_, _, err = auth.AuthenticateAPIKey(context.Background(), crm.HashToken("nope"), t0, t0)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "got %v", err)
}

// viewIsOneSnapshot: a View reads dealer A, then — while another unit of work changes both A and B in one
// transaction — dealer B; it sees both before the change or both after it, never A before and B after. The change
// starts on fn's first run only and is waited for a moment (the memory adapter's View holds the read lock, so there
// it waits until the View ends); three calls from one place (the PostgreSQL adapter learns the place).
func viewIsOneSnapshot(t *testing.T, open Open) {
	b := open(t)
	ctx, a := NewDealer(t, b, "A 0")
	_, bb := NewDealer(t, b, "B 0")
	unit := crm.NewUnit[crm.Stores](b, nil)
	rename := func(n int) error {
		return unit.Update(ctx, func(ctx context.Context, s stores) error {
			for _, id := range []crm.ID{a.ID, bb.ID} {
				cur, err := s.Dealers().Get(ctx, id)
				if err != nil {
					return err
				}
				cur.Name = fmt.Sprintf("%s %d", cur.Name[:1], n)
				if err := s.Dealers().Update(ctx, &cur); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for n := 1; n <= 3; n++ {
		renamed := make(chan error, 1)
		var gotA, gotB string
		passes := 0
		require.NoError(t, unit.View(ctx, func(ctx context.Context, s stores) error {
			passes++
			da, err := s.Dealers().Get(ctx, a.ID)
			if err != nil {
				return err
			}
			if passes == 1 {
				go func() { renamed <- rename(n) }()
				select {
				case err := <-renamed:
					renamed <- err
				case <-time.After(100 * time.Millisecond):
				}
			}
			db, err := s.Dealers().Get(ctx, bb.ID)
			if err != nil {
				return err
			}
			gotA, gotB = da.Name[2:], db.Name[2:]
			return nil
		}), "call %d", n)
		require.NoError(t, <-renamed)
		assert.Equal(t, gotA, gotB, "call %d: A and B of one snapshot", n)
		assert.Contains(t, []string{fmt.Sprint(n - 1), fmt.Sprint(n)}, gotA, "call %d", n)
		assert.LessOrEqual(t, passes, 2, "call %d", n)
	}
}
