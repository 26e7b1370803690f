// SPDX-License-Identifier: MIT

package main

import (
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"sync"
	"syscall"
)

// ---- receivers on one epoll set ----
//
// Receivers are read by one goroutine on an epoll set of the generator's own, not by a goroutine
// per connection: Go's runtime wakes one goroutine per socket per frame, and that alone took the
// generator's whole core at 200,000 frames/s, so the generator, not the server, was measured.
// After the handshake and the welcome (read with gorilla/websocket) a receiver's connection is
// taken over as a bare descriptor; nothing else is sent to a receiver before the first message.

type rawReceiver struct {
	file    *os.File // owns the descriptor (a duplicate of the connection's)
	fd      int
	pending []byte // bytes of an incomplete frame
	message []byte // fragments of an incomplete message (gorilla fragments at its buffer size)
	reader  *epollReader
}

type epollReader struct {
	run   *run
	epfd  int
	mu    sync.Mutex
	conns map[int]*rawReceiver
}

func newEpollReader(r *run) (*epollReader, error) {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	e := &epollReader{run: r, epfd: epfd, conns: map[int]*rawReceiver{}}
	go e.loop()
	return e, nil
}

// adopt takes conn's socket: the connection object is closed, its duplicate descriptor read here.
func (e *epollReader) adopt(conn net.Conn) (*rawReceiver, error) {
	tcp, ok := conn.(*net.TCPConn)
	if !ok {
		return nil, fmt.Errorf("not a TCP connection")
	}
	file, err := tcp.File()
	if err != nil {
		return nil, err
	}
	conn.Close()
	fd := int(file.Fd()) // Fd() leaves the descriptor blocking
	if err := syscall.SetNonblock(fd, true); err != nil {
		file.Close()
		return nil, err
	}
	receiver := &rawReceiver{file: file, fd: fd, reader: e}
	e.mu.Lock()
	e.conns[fd] = receiver
	e.mu.Unlock()
	event := syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP, Fd: int32(fd)}
	if err := syscall.EpollCtl(e.epfd, syscall.EPOLL_CTL_ADD, fd, &event); err != nil {
		receiver.Close()
		return nil, fmt.Errorf("epoll_ctl: %w", err)
	}
	return receiver, nil
}

func (c *rawReceiver) Close() error {
	e := c.reader
	e.mu.Lock()
	_, open := e.conns[c.fd]
	delete(e.conns, c.fd)
	e.mu.Unlock()
	if !open {
		return nil
	}
	syscall.EpollCtl(e.epfd, syscall.EPOLL_CTL_DEL, c.fd, nil)
	return c.file.Close()
}

func (e *epollReader) loop() {
	events := make([]syscall.EpollEvent, 512)
	buffer := make([]byte, 256*1024)
	for {
		n, err := syscall.EpollWait(e.epfd, events, -1)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "neonchat-loadgen: epoll_wait:", err)
			os.Exit(1)
		}
		for i := 0; i < n; i++ {
			e.mu.Lock()
			c := e.conns[int(events[i].Fd)]
			e.mu.Unlock()
			if c != nil {
				c.readOnce(buffer)
			}
		}
	}
}

// readOnce reads what the socket holds (level triggered: the rest comes with the next wait).
func (c *rawReceiver) readOnce(buffer []byte) {
	n, err := syscall.Read(c.fd, buffer)
	if err == syscall.EAGAIN || err == syscall.EINTR {
		return
	}
	if err != nil || n == 0 {
		c.Close()
		return
	}
	data := buffer[:n]
	if len(c.pending) > 0 {
		c.pending = append(c.pending, data...)
		data = c.pending
	}
	consumed := c.frames(data)
	rest := data[consumed:]
	if len(rest) == 0 {
		c.pending = c.pending[:0]
	} else {
		c.pending = append(c.pending[:0:0], rest...)
	}
}

// frames handles the complete server frames at the start of data; returns the bytes they took.
func (c *rawReceiver) frames(data []byte) int {
	at := 0
	for len(data)-at >= 2 {
		fin := data[at]&0x80 != 0
		opcode := data[at] & 0x0f
		length := uint64(data[at+1] & 0x7f)
		header := 2
		switch length {
		case 126:
			if len(data)-at < 4 {
				return at
			}
			length = uint64(binary.BigEndian.Uint16(data[at+2:]))
			header = 4
		case 127:
			if len(data)-at < 10 {
				return at
			}
			length = binary.BigEndian.Uint64(data[at+2:])
			header = 10
		}
		if uint64(len(data)-at-header) < length {
			return at
		}
		payload := data[at+header : at+header+int(length)]
		switch opcode {
		case 0x0, 0x1:
			if !fin || len(c.message) > 0 {
				c.message = append(c.message, payload...)
				if fin {
					c.reader.run.onFrame(c.message)
					c.message = c.message[:0]
				}
			} else {
				c.reader.run.onFrame(payload)
			}
		case 0x9:
			c.pong(payload)
		case 0x8:
			c.Close()
			return len(data)
		}
		at += header + int(length)
	}
	return at
}

// pong answers a ping: a masked frame with an all-zero key, so the payload goes as it is.
func (c *rawReceiver) pong(payload []byte) {
	if len(payload) > 125 {
		return
	}
	frame := append([]byte{0x8A, 0x80 | byte(len(payload)), 0, 0, 0, 0}, payload...)
	syscall.Write(c.fd, frame)
}
