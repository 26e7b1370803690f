// SPDX-License-Identifier: MIT

// neonchat-loadgen drives a NeonChat server (or the reference hub, bench/peers/gohub) from its
// own core, so that the server is what is measured. Every client is a guest in the lobby.
//
//	open    one sender at a fixed rate; delivery latency from a time stamp in each message
//	closed  senders keeping a window of messages in flight; deliveries per second
//	idle    N idle connections; the server's resident memory per connection (-pid)
//	ramp    receivers added step by step; the largest N whose p95 delivery time stays in bounds
//
// It prints one JSON object per measurement on stdout (bench/fanout-compare makes the table).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/bits"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// ---- latency histogram: microseconds, about 0.2% resolution, lock-free ----

const linearBuckets = 1024
const subBuckets = 512
const histogramSize = linearBuckets + 40*subBuckets

type histogram struct {
	counts [histogramSize]uint64
}

func bucketOf(us uint64) int {
	if us < linearBuckets {
		return int(us)
	}
	shift := bits.Len64(us) - 10
	index := linearBuckets + (shift-1)*subBuckets + int(us>>uint(shift)) - subBuckets
	if index >= histogramSize {
		return histogramSize - 1
	}
	return index
}

func valueOf(index int) uint64 {
	if index < linearBuckets {
		return uint64(index)
	}
	shift := (index-linearBuckets)/subBuckets + 1
	return uint64((index-linearBuckets)%subBuckets+subBuckets) << uint(shift)
}

func (h *histogram) record(d time.Duration) {
	us := d.Microseconds()
	if us < 0 {
		us = 0
	}
	atomic.AddUint64(&h.counts[bucketOf(uint64(us))], 1)
}

func (h *histogram) reset() {
	for i := range h.counts {
		atomic.StoreUint64(&h.counts[i], 0)
	}
}

// quantile in milliseconds, and the number of samples.
func (h *histogram) quantile(q float64) (float64, uint64) {
	var total uint64
	for i := range h.counts {
		total += atomic.LoadUint64(&h.counts[i])
	}
	if total == 0 {
		return 0, 0
	}
	rank := uint64(q*float64(total) + 0.5)
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i := range h.counts {
		seen += atomic.LoadUint64(&h.counts[i])
		if seen >= rank {
			return float64(valueOf(i)) / 1000, total
		}
	}
	return float64(valueOf(histogramSize-1)) / 1000, total
}

// ---- connections ----

type options struct {
	url string
	// Receivers connect to these in turn (instances of one cluster); empty: url.
	receiverURLs []string
	bytes        int
	verbose      bool
	deadline     time.Duration
}

type run struct {
	opts       options
	raw        *epollReader // reads every receiver
	latency    histogram
	deliveries uint64
	sendStamp  time.Time // the clock messages are stamped against
}

var stampMarker = []byte(`"text":"T`)
var messageSent = []byte(`"message_sent"`)

// onFrame counts a frame's messages (the reference hub merges several per frame) and
// records their latency from the stamp at the start of the text.
func (r *run) onFrame(data []byte) {
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		// JSON keys come in any order (NeonChat sorts them): the stamp marks a message, and a
		// sender's own acknowledgement is not a delivery.
		if bytes.Contains(line, messageSent) {
			continue
		}
		at := bytes.Index(line, stampMarker)
		if at < 0 {
			continue
		}
		digits := line[at+len(stampMarker):]
		end := bytes.IndexByte(digits, '|')
		if end < 0 {
			continue
		}
		var sent int64
		for _, digit := range digits[:end] {
			sent = sent*10 + int64(digit-'0')
		}
		r.latency.record(time.Since(r.sendStamp) - time.Duration(sent))
		atomic.AddUint64(&r.deliveries, 1)
	}
}

func (r *run) dial(name string) (*websocket.Conn, error) {
	return r.dialTo(r.opts.url, name)
}

// receiverURL is where receiver i connects.
func (r *run) receiverURL(i int) string {
	if len(r.opts.receiverURLs) == 0 {
		return r.opts.url
	}
	return r.opts.receiverURLs[i%len(r.opts.receiverURLs)]
}

func (r *run) dialTo(address, name string) (*websocket.Conn, error) {
	u, err := url.Parse(address)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("name", name)
	u.RawQuery = q.Encode()
	dialer := websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 4096,
		WriteBufferSize: 4096}
	conn, _, err := dialer.Dial(u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	conn.SetReadLimit(1 << 20)
	// The first frame is the welcome.
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, welcome, err := conn.ReadMessage()
	if err != nil || !bytes.Contains(welcome, []byte(`"welcome"`)) {
		conn.Close()
		return nil, fmt.Errorf("%s: no welcome (%v): %.200s", name, err, welcome)
	}
	conn.SetReadDeadline(time.Time{})
	return conn, nil
}

// receivers opens n receiving sessions named prefix0..; each is read by r.raw until its
// connection closes.
func (r *run) receivers(prefix string, first, n int) ([]io.Closer, error) {
	conns := make([]io.Closer, 0, n)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	// Connect in small parallel batches: a burst of thousands of handshakes measures the
	// server's accept queue, not its fan-out.
	const parallel = 32
	next := int64(first - 1)
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(atomic.AddInt64(&next, 1))
				if i >= first+n {
					return
				}
				conn, err := r.dialTo(r.receiverURL(i), fmt.Sprintf("%s%d", prefix, i))
				var receiver io.Closer
				if err == nil {
					receiver, err = r.raw.adopt(conn.UnderlyingConn())
				}
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				conns = append(conns, receiver)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return conns, firstErr
}

// readFrames reads a sender's frames into one reused buffer until the connection closes.
func (r *run) readFrames(conn *websocket.Conn) {
	var frame bytes.Buffer
	for {
		_, reader, err := conn.NextReader()
		if err != nil {
			return
		}
		frame.Reset()
		if _, err := frame.ReadFrom(reader); err != nil {
			return
		}
		r.onFrame(frame.Bytes())
	}
}

// readSender reads a sender's frames: one value on acked per acknowledgement (the reference hub
// merges several into one frame), messages of other senders counted as deliveries. acked is
// closed when the connection is.
func (r *run) readSender(conn *websocket.Conn, acked chan<- struct{}) {
	defer close(acked)
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		for n := bytes.Count(data, messageSent); n > 0; n-- {
			acked <- struct{}{}
		}
		r.onFrame(data)
	}
}

func (r *run) message(sender string, n int) []byte {
	stamp := strconv.FormatInt(int64(time.Since(r.sendStamp)), 10)
	text := "T" + stamp + "|" + sender + " " + strconv.Itoa(n) + " "
	if pad := r.opts.bytes - len(text); pad > 0 {
		text += strings.Repeat("x", pad)
	}
	return []byte(`{"type":"message","text":"` + text + `","request_id":"` + sender + "-" +
		strconv.Itoa(n) + `"}`)
}

// ---- the modes ----

type result map[string]interface{}

func emit(res result) {
	line, err := json.Marshal(res)
	if err != nil {
		fmt.Fprintln(os.Stderr, "neonchat-loadgen:", err)
		os.Exit(1)
	}
	fmt.Println(string(line))
}

func closeAll(conns []io.Closer) {
	for _, c := range conns {
		c.Close()
	}
}

func (r *run) latencyFields(res result) {
	p50, n := r.latency.quantile(0.50)
	p95, _ := r.latency.quantile(0.95)
	p99, _ := r.latency.quantile(0.99)
	p999, _ := r.latency.quantile(0.999)
	res["samples"] = n
	res["p50_ms"], res["p95_ms"], res["p99_ms"], res["p999_ms"] = p50, p95, p99, p999
}

// openLoop: one sender at rate messages per second for the duration; a warm-up second first.
func (r *run) openLoop(receivers, rate int, duration time.Duration) error {
	conns, err := r.receivers("r", 0, receivers)
	defer closeAll(conns)
	if err != nil {
		return err
	}
	sender, err := r.dial("sender")
	if err != nil {
		return err
	}
	defer sender.Close()
	// Its acknowledgements are read and dropped: the open loop does not wait for them.
	go r.readFrames(sender)
	interval := time.Second / time.Duration(rate)
	sent := 0 // request ids never repeat: NeonChat answers a repeated one without fanning out
	send := func(count int) error {
		start := time.Now()
		for i := 0; i < count; i++ {
			if wait := time.Until(start.Add(time.Duration(i) * interval)); wait > 0 {
				time.Sleep(wait)
			}
			if err := sender.WriteMessage(websocket.TextMessage, r.message("sender", sent)); err != nil {
				return err
			}
			sent++
		}
		return nil
	}
	if err := send(rate); err != nil {
		return err
	}
	r.settle(uint64(rate*receivers), 10*time.Second)
	r.latency.reset()
	atomic.StoreUint64(&r.deliveries, 0)
	total := int(float64(rate) * duration.Seconds())
	begin := time.Now()
	if err := send(total); err != nil {
		return err
	}
	complete := r.settle(uint64(total*receivers), r.opts.deadline)
	res := result{"mode": "open", "receivers": receivers, "rate": rate,
		"messages": total, "deliveries": atomic.LoadUint64(&r.deliveries),
		"complete": complete, "seconds": time.Since(begin).Seconds()}
	r.latencyFields(res)
	emit(res)
	return nil
}

// settle waits until the deliveries counter reaches want or the timeout passes.
func (r *run) settle(want uint64, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for atomic.LoadUint64(&r.deliveries) < want {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}

// closedLoop: senders each keep window messages unacknowledged; deliveries per second over the
// duration after a warm-up second.
func (r *run) closedLoop(receivers, senders, window int, duration time.Duration) error {
	conns, err := r.receivers("r", 0, receivers)
	defer closeAll(conns)
	if err != nil {
		return err
	}
	var stop atomic.Bool
	for s := 0; s < senders; s++ {
		name := fmt.Sprintf("sender%d", s)
		conn, err := r.dial(name)
		if err != nil {
			return err
		}
		defer conn.Close()
		acked := make(chan struct{}, window)
		go r.readSender(conn, acked)
		go func() {
			for n := 0; !stop.Load(); n++ {
				if n >= window {
					if _, ok := <-acked; !ok {
						return
					}
				}
				if conn.WriteMessage(websocket.TextMessage, r.message(name, n)) != nil {
					return
				}
			}
		}()
	}
	time.Sleep(time.Second)
	atomic.StoreUint64(&r.deliveries, 0)
	r.latency.reset()
	begin := time.Now()
	time.Sleep(duration)
	delivered := atomic.LoadUint64(&r.deliveries)
	seconds := time.Since(begin).Seconds()
	stop.Store(true)
	res := result{"mode": "closed", "receivers": receivers, "senders": senders, "window": window,
		"deliveries": delivered, "seconds": seconds, "deliveries_per_s": float64(delivered) / seconds}
	r.latencyFields(res)
	emit(res)
	return nil
}

func residentKiB(pid int) (int64, error) {
	file, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer file.Close()
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		if fields := strings.Fields(scanner.Text()); len(fields) >= 2 && fields[0] == "VmRSS:" {
			return strconv.ParseInt(fields[1], 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// idle: the server's resident memory per idle connection.
func (r *run) idle(receivers, pid int) error {
	before, err := residentKiB(pid)
	if err != nil {
		return err
	}
	conns, err := r.receivers("idle", 0, receivers)
	defer closeAll(conns)
	if err != nil {
		return err
	}
	time.Sleep(2 * time.Second)
	after, err := residentKiB(pid)
	if err != nil {
		return err
	}
	emit(result{"mode": "idle", "connections": receivers, "rss_before_kib": before,
		"rss_after_kib": after, "kib_per_connection": float64(after-before) / float64(receivers)})
	return nil
}

// ramp: receivers added step by step; at each N one sender keeps 4 messages in flight for a
// while; the largest N whose p95 delivery time is within the bound.
func (r *run) ramp(step, max int, bound time.Duration) error {
	var conns []io.Closer
	defer func() { closeAll(conns) }()
	sender, err := r.dial("sender")
	if err != nil {
		return err
	}
	defer sender.Close()
	acked := make(chan struct{}, 16)
	go r.readSender(sender, acked)
	best := 0
	sent := 0
	for n := step; n <= max; n += step {
		more, err := r.receivers("ramp", n-step, step)
		conns = append(conns, more...)
		if err != nil {
			emit(result{"mode": "ramp", "receivers": n, "error": err.Error()})
			break
		}
		r.latency.reset()
		const messages, window = 40, 4
		awaitAck := func() error {
			select {
			case _, ok := <-acked:
				if !ok {
					return fmt.Errorf("at %d receivers the sender's connection closed", n)
				}
				return nil
			case <-time.After(30 * time.Second):
				return fmt.Errorf("at %d receivers no acknowledgement for 30 s", n)
			}
		}
		for i := 0; i < messages; i++ {
			if i >= window {
				if err := awaitAck(); err != nil {
					return err
				}
			}
			if err := sender.WriteMessage(websocket.TextMessage, r.message("sender", sent)); err != nil {
				return err
			}
			sent++
		}
		for i := 0; i < window; i++ {
			if err := awaitAck(); err != nil {
				return err
			}
		}
		time.Sleep(200 * time.Millisecond)
		p95, samples := r.latency.quantile(0.95)
		ok := p95 <= float64(bound.Milliseconds()) && samples >= uint64(messages*n*9/10)
		emit(result{"mode": "ramp", "receivers": n, "p95_ms": p95, "samples": samples, "ok": ok})
		if !ok {
			break
		}
		best = n
	}
	emit(result{"mode": "ramp", "largest_ok": best})
	return nil
}

func main() {
	var opts options
	flag.StringVar(&opts.url, "url", "ws://127.0.0.1:8080/ws", "WebSocket URL")
	receiverURLs := flag.String("receiver-urls", "", "comma-separated WebSocket URLs the receivers connect to in turn (instances of a cluster); default -url")
	mode := flag.String("mode", "open", "open, closed, idle or ramp")
	receivers := flag.Int("receivers", 100, "receiving sessions (idle: connections)")
	senders := flag.Int("senders", 1, "closed: sending sessions")
	window := flag.Int("window", 64, "closed: messages in flight per sender")
	rate := flag.Int("rate", 1000, "open: messages per second")
	duration := flag.Duration("duration", 10*time.Second, "open, closed: measured time")
	flag.IntVar(&opts.bytes, "bytes", 100, "text size of a message")
	flag.DurationVar(&opts.deadline, "deadline", 60*time.Second, "open: wait for the last deliveries at most this long")
	pid := flag.Int("pid", 0, "idle: the server's process id")
	step := flag.Int("step", 1000, "ramp: receivers added per step")
	max := flag.Int("max", 20000, "ramp: most receivers")
	bound := flag.Duration("bound", 500*time.Millisecond, "ramp: p95 bound")
	flag.Parse()
	if *receiverURLs != "" {
		opts.receiverURLs = strings.Split(*receiverURLs, ",")
	}

	r := &run{opts: opts, sendStamp: time.Now()}
	var err error
	if r.raw, err = newEpollReader(r); err != nil {
		fmt.Fprintln(os.Stderr, "neonchat-loadgen:", err)
		os.Exit(1)
	}
	switch *mode {
	case "open":
		err = r.openLoop(*receivers, *rate, *duration)
	case "closed":
		err = r.closedLoop(*receivers, *senders, *window, *duration)
	case "idle":
		err = r.idle(*receivers, *pid)
	case "ramp":
		err = r.ramp(*step, *max, *bound)
	default:
		err = fmt.Errorf("unknown mode %q", *mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "neonchat-loadgen:", err)
		os.Exit(1)
	}
}
