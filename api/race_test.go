package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// Twenty dispatchers press the same button on the same case at the same version, twenty
// times over, alternately accept and dispatch: each time exactly one is answered 200 and
// the other nineteen 409, and the case has exactly one event of that action.
// (service.TestConcurrentActOneWins holds the service to the same below HTTP.)
func TestTwentyPressTheSameButton(t *testing.T) {
	h := hServer(t, 0)
	tok := h.hLogin("demo.dispatcher")
	const presses, rounds = 20, 20
	for round := 0; round < rounds; round++ {
		id := h.hFile("demo.dispatcher", "431382001001001", "SR-001", "")
		action, body := "accept", map[string]any{"version": 1}
		if round%2 == 1 {
			h.hAct("demo.dispatcher", id, "accept", nil)
			action, body = "dispatch", map[string]any{"version": 2, "org": "LY-CGJ"}
		}
		statuses := make([]int, presses)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range presses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				statuses[i] = press(t, h.srv.Client(), h.srv.URL+fmt.Sprintf("/api/v1/cases/%d/%s", id, action), tok, body)
			}()
		}
		close(start)
		wg.Wait()
		won := map[int]int{}
		for _, st := range statuses {
			won[st]++
		}
		if won[http.StatusOK] != 1 || won[http.StatusConflict] != presses-1 {
			t.Fatalf("round %d, %s: answers %v; want one 200 and %d 409", round, action, won, presses-1)
		}
		c := h.hCase("demo.dispatcher", id)
		n := 0
		for _, e := range hEvents(c) {
			if e[1] == action {
				n++
			}
		}
		if n != 1 || int(hNum(c, "version")) != len(hEvents(c)) {
			t.Fatalf("round %d: %d %s events, version %d with %d events", round, n, action, hNum(c, "version"), len(hEvents(c)))
		}
	}
}

// press sends one action and answers its status (0 when the request failed).
func press(t *testing.T, client *http.Client, url, token string, body any) int {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		t.Error(err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
