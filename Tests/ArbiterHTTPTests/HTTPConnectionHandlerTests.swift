import ArbiterHTTP
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

/// The connection pipeline on an `EmbeddedChannel`: framing, limits, timers, without sockets.
@Suite struct HTTPConnectionHandlerTests {
    @Test func keepAlive_servesSeveralRequestsOnOneConnection() throws {
        let c = try EmbeddedHTTPConnection()
        for id in ["a", "b", "c"] {
            try c.send(checkRequest(id))
            let r = try c.responses()
            #expect(r.count == 1)
            #expect(r.first?.status == 200)
            #expect(r.first?.body == #"{"principal":"\#(id)"}"#)
            #expect(r.first?.headers["content-type"] == "application/json")
        }
        #expect(c.isOpen)
    }

    @Test func pipelinedRequestsInOneRead_areAnsweredInOrder() throws {
        let c = try EmbeddedHTTPConnection()
        try c.send(checkRequest("a") + checkRequest("b") + "GET /api/server_info HTTP/1.1\r\nHost: x\r\n\r\n" + checkRequest("c"))
        let r = try c.responses()
        #expect(r.map(\.status) == [200, 200, 200, 200])
        #expect(r.map(\.body) == [#"{"principal":"a"}"#, #"{"principal":"b"}"#, #"{"version":"1","commit":"b"}"#, #"{"principal":"c"}"#])
        #expect(c.isOpen)
    }

    @Test func pipelinedAnswers_areFlushedTogetherWhenTheReadEnds() throws {
        let c = try EmbeddedHTTPConnection()
        // A read without its read-complete: the answers are written but not flushed yet.
        c.channel.pipeline.syncOperations.fireChannelRead(NIOAny(ByteBuffer(string: checkRequest("a") + checkRequest("b"))))
        #expect(try c.responses().isEmpty)
        c.channel.pipeline.syncOperations.fireChannelReadComplete()
        #expect(try c.responses().map(\.body) == [#"{"principal":"a"}"#, #"{"principal":"b"}"#])
        #expect(c.isOpen)
    }

    @Test func expect100Continue_getsContinueBeforeTheBody_thenTheAnswer() throws {
        let c = try EmbeddedHTTPConnection()
        let body = #"{"principal":{"id":"late"}}"#
        try c.send("POST /api/check/resources HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
        let interim = try c.responses()
        #expect(interim.map(\.status) == [100])
        try c.send(body)
        let r = try c.responses()
        #expect(r.map(\.status) == [200])
        #expect(r.first?.body == #"{"principal":"late"}"#)
    }

    @Test func expect100Continue_forAnUnknownRoute_isRefusedWithoutAskingForTheBody() throws {
        let c = try EmbeddedHTTPConnection()
        try c.send("POST /nope HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n")
        let r = try c.responses()
        #expect(r.map(\.status) == [404])
        #expect(r.first?.headers["connection"] == "close")
        #expect(!c.isOpen)
    }

    @Test func contentLengthOverTheLimit_is413_andTheConnectionCloses() throws {
        let c = try EmbeddedHTTPConnection()
        try c.send("POST /api/check/resources HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{")
        let r = try c.responses()
        #expect(r.map(\.status) == [413])
        #expect(r.first?.body.contains("limit of 1024 bytes") == true)
        #expect(r.first?.body.contains(#""code":8"#) == true)
        #expect(!c.isOpen)
    }

    @Test func chunkedBody_isAssembled() throws {
        let c = try EmbeddedHTTPConnection()
        try c.send("POST /api/check/resources HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        try c.send("5\r\n{\"pri\r\n")
        try c.send("18\r\nncipal\":{\"id\":\"chunky\"}}\r\n0\r\n\r\n")
        let r = try c.responses()
        #expect(r.map(\.status) == [200])
        #expect(r.first?.body == #"{"principal":"chunky"}"#)
        #expect(c.isOpen)
    }

    @Test func chunkedBodyOverTheLimit_is413() throws {
        let c = try EmbeddedHTTPConnection()
        try c.send("POST /api/check/resources HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = String(repeating: "x", count: 600)
        try c.send("258\r\n\(chunk)\r\n")
        #expect(try c.responses().isEmpty)
        try c.send("258\r\n\(chunk)\r\n")
        #expect(try c.responses().map(\.status) == [413])
        #expect(!c.isOpen)
    }

    @Test func malformedRequestLine_is400WithTheGatewayBody_andCloses() throws {
        let c = try EmbeddedHTTPConnection()
        try c.send("HELLO THERE\r\n\r\n")
        let r = try c.responses()
        #expect(r.map(\.status) == [400])
        #expect(r.first?.body.hasPrefix(#"{"code":3,"message":"malformed HTTP request"#) == true)
        #expect(!c.isOpen)
    }

    @Test func headersOverTheLimit_are431() throws {
        let c = try EmbeddedHTTPConnection()
        try c.send("GET /api/server_info HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "y", count: 4000))\r\n\r\n")
        let r = try c.responses()
        #expect(r.map(\.status) == [431])
        #expect(r.first?.body.contains("limit of 2048 bytes") == true)
    }

    @Test func garbageAfterAGoodPipelinedRequest_isAnsweredAfterIt() throws {
        let c = try EmbeddedHTTPConnection()
        try c.send(checkRequest("first") + "NOT HTTP AT ALL\r\n\r\n")
        let r = try c.responses()
        #expect(r.map(\.status) == [200, 400])
        #expect(r.first?.body == #"{"principal":"first"}"#)
        #expect(!c.isOpen)
    }

    @Test func http10WithoutKeepAlive_closesAfterTheResponse_andConnectionCloseIsHonoured() throws {
        let old = try EmbeddedHTTPConnection()
        try old.send("GET /api/server_info HTTP/1.0\r\n\r\n")
        #expect(try old.responses().map(\.status) == [200])
        #expect(!old.isOpen)
        let close = try EmbeddedHTTPConnection()
        try close.send(checkRequest("x", extraHeaders: "Connection: close\r\n"))
        let r = try close.responses()
        #expect(r.first?.headers["connection"] == "close")
        #expect(!close.isOpen)
    }

    @Test func headersSlowerThanReadHeaderTimeout_get408_andTheConnectionCloses() throws {
        let c = try EmbeddedHTTPConnection(limits: HTTPServerLimits(readTimeout: .seconds(30), readHeaderTimeout: .seconds(15)))
        try c.send("POST /api/check/resources HTTP/1.1\r\nHo")
        c.advance(.seconds(14))
        #expect(c.isOpen)
        c.advance(.seconds(2))
        let r = try c.responses()
        #expect(r.map(\.status) == [408])
        #expect(r.first?.body.contains("readHeaderTimeout") == true)
        #expect(!c.isOpen)
    }

    @Test func bodySlowerThanReadTimeout_gets408() throws {
        let c = try EmbeddedHTTPConnection(limits: HTTPServerLimits(readTimeout: .seconds(30), readHeaderTimeout: .seconds(15)))
        try c.send("POST /api/check/resources HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n{")
        c.advance(.seconds(20))
        #expect(c.isOpen)
        c.advance(.seconds(11))
        #expect(try c.responses().map(\.status) == [408])
        #expect(!c.isOpen)
    }

    @Test func idleKeepAliveConnection_closesAfterIdleTimeout_butNotBefore() throws {
        let c = try EmbeddedHTTPConnection(limits: HTTPServerLimits(idleTimeout: .seconds(120)))
        try c.send(checkRequest("a"))
        #expect(try c.responses().count == 1)
        c.advance(.seconds(100))
        try c.send(checkRequest("b"))
        #expect(try c.responses().count == 1)
        c.advance(.seconds(119))
        #expect(c.isOpen)
        c.advance(.seconds(2))
        #expect(!c.isOpen)
        #expect(try c.written().isEmpty)
    }

    @Test func clientThatStopsReading_isClosedAfterWriteTimeout_andOthersAreNot() throws {
        let stuck = try EmbeddedHTTPConnection(limits: HTTPServerLimits(writeTimeout: .seconds(30)))
        try stuck.send(checkRequest("a"))
        stuck.channel.isWritable = false
        stuck.channel.pipeline.fireChannelWritabilityChanged()
        stuck.advance(.seconds(29))
        #expect(stuck.isOpen)
        stuck.advance(.seconds(2))
        #expect(!stuck.isOpen)
        let reading = try EmbeddedHTTPConnection(limits: HTTPServerLimits(writeTimeout: .seconds(30)))
        try reading.send(checkRequest("b"))
        reading.channel.isWritable = false
        reading.channel.pipeline.fireChannelWritabilityChanged()
        reading.advance(.seconds(20))
        reading.channel.isWritable = true
        reading.channel.pipeline.fireChannelWritabilityChanged()
        reading.advance(.seconds(20))
        #expect(reading.isOpen)
    }

    @Test func gracefulShutdown_closesIdleConnections_andAnswersTheRequestInProgressFirst() throws {
        let idle = try EmbeddedHTTPConnection()
        idle.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(!idle.isOpen)
        let busy = try EmbeddedHTTPConnection()
        let body = #"{"principal":{"id":"last"}}"#
        try busy.send("POST /api/check/resources HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n{")
        busy.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(busy.isOpen)
        try busy.send(String(body.dropFirst()))
        let r = try busy.responses()
        #expect(r.map(\.body) == [#"{"principal":"last"}"#])
        #expect(r.first?.headers["connection"] == "close")
        #expect(!busy.isOpen)
    }

    @Test func unsupportedExpectation_is417() throws {
        let c = try EmbeddedHTTPConnection()
        try c.send("POST /api/check/resources HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nContent-Length: 2\r\n\r\n")
        #expect(try c.responses().map(\.status) == [417])
    }
}
