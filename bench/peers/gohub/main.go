// SPDX-License-Identifier: MIT

// gohub is the reference peer of NeonChat's fan-out benchmark: a broadcast hub of the design
// most Go chat servers start from (one hub goroutine; a reader and a writer goroutine per
// client; the writer merges whatever is queued into one frame, one message per line). It speaks
// enough of NeonChat's protocol for neonchat-loadgen: a welcome on connect, and for each
// {"type":"message",...} a message_sent to the sender and a new_message to everyone else. It
// stores nothing. bench/fanout-compare runs it beside chat-server on the same core.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/websocket"
)

const (
	writeWait      = 10 * time.Second
	pongWait       = 60 * time.Second
	pingPeriod     = pongWait * 9 / 10
	maxMessageSize = 32768
	sendQueue      = 256
)

var newline = []byte{'\n'}

type client struct {
	hub  *hub
	conn *websocket.Conn
	name string
	send chan []byte
}

type inbound struct {
	from *client
	text string
	id   json.RawMessage
}

type hub struct {
	clients    map[*client]bool
	broadcast  chan inbound
	register   chan *client
	unregister chan *client
	seq        int64
}

func newHub() *hub {
	return &hub{
		clients:    make(map[*client]bool),
		broadcast:  make(chan inbound, 1024),
		register:   make(chan *client),
		unregister: make(chan *client),
	}
}

// queue hands a frame to a client's writer; a client whose queue is full is dropped, as a slow
// consumer is in NeonChat.
func (h *hub) queue(c *client, frame []byte) {
	select {
	case c.send <- frame:
	default:
		delete(h.clients, c)
		close(c.send)
	}
}

func (h *hub) run() {
	for {
		select {
		case c := <-h.register:
			h.clients[c] = true
		case c := <-h.unregister:
			if h.clients[c] {
				delete(h.clients, c)
				close(c.send)
			}
		case m := <-h.broadcast:
			h.seq++
			text, err := json.Marshal(m.text)
			if err != nil {
				continue
			}
			body := `"chat_id":"lobby","seq":` + strconv.FormatInt(h.seq, 10) +
				`,"sender":` + strconv.Quote(m.from.name) + `,"text":` + string(text) +
				`,"created_at":"` + time.Now().UTC().Format("2006-01-02T15:04:05.000Z") + `"`
			fanned := []byte(`{"type":"new_message",` + body + `}`)
			id := "null"
			if len(m.id) > 0 {
				id = string(m.id)
			}
			if h.clients[m.from] {
				h.queue(m.from, []byte(`{"type":"message_sent","request_id":`+id+`,`+body+`}`))
			}
			for c := range h.clients {
				if c != m.from {
					h.queue(c, fanned)
				}
			}
		}
	}
}

func (c *client) readPump() {
	defer func() {
		c.hub.unregister <- c
		c.conn.Close()
	}()
	c.conn.SetReadLimit(maxMessageSize)
	c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error {
		return c.conn.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		var frame struct {
			Type      string          `json:"type"`
			Text      string          `json:"text"`
			RequestID json.RawMessage `json:"request_id"`
		}
		if json.Unmarshal(data, &frame) != nil || frame.Type != "message" {
			continue
		}
		c.hub.broadcast <- inbound{from: c, text: frame.Text, id: frame.RequestID}
	}
}

func (c *client) writePump() {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		c.conn.Close()
	}()
	for {
		select {
		case frame, ok := <-c.send:
			c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if !ok {
				c.conn.WriteMessage(websocket.CloseMessage, []byte{})
				return
			}
			w, err := c.conn.NextWriter(websocket.TextMessage)
			if err != nil {
				return
			}
			w.Write(frame)
			// The design's throughput: everything queued meanwhile goes in the same frame.
			for n := len(c.send); n > 0; n-- {
				w.Write(newline)
				w.Write(<-c.send)
			}
			if err := w.Close(); err != nil {
				return
			}
		case <-ticker.C:
			c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	flag.Parse()
	h := newHub()
	go h.run()
	upgrader := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024,
		CheckOrigin: func(*http.Request) bool { return true }}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`{"status":"ok"}`))
	})
	http.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c := &client{hub: h, conn: conn, name: r.URL.Query().Get("name"),
			send: make(chan []byte, sendQueue)}
		welcome := bytes.NewBufferString(`{"type":"welcome","user":{"name":`)
		welcome.WriteString(strconv.Quote(c.name) + `}}`)
		if conn.WriteMessage(websocket.TextMessage, welcome.Bytes()) != nil {
			conn.Close()
			return
		}
		h.register <- c
		go c.writePump()
		go c.readPump()
	})
	log.Printf("gohub listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, nil))
}
