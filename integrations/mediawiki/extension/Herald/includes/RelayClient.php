<?php
namespace MediaWiki\Extension\Herald;

/**
 * Posts {topic, data} to a Herald relay's HTTP inbound (no ZeroMQ extension needed). The relay
 * checks the message, signs it with its own key and republishes it. A failure never breaks the
 * wiki: the post is queued in $wgHeraldSpoolDir, which `herald relay --spool` delivers later, or,
 * without a spool folder, written whole to PHP's error log. Nothing is lost silently.
 */
class RelayClient {
	public static function publish( string $event, array $data ): void {
		global $wgHeraldRelayUrl, $wgHeraldTopicPrefix, $wgHeraldTimeoutSeconds, $wgHeraldRelayTokenFile;
		$time = \DateTime::createFromFormat( 'U.u', sprintf( '%.3F', microtime( true ) ) );
		$body = json_encode(
			[
				'topic' => "$wgHeraldTopicPrefix.$event",
				'source' => '/wiki/' . gethostname(),
				'time' => $time->format( 'Y-m-d\\TH:i:s.v\\Z' ),
				'data' => $data,
			],
			JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE
		);
		$context = stream_context_create( [ 'http' => [
			'method' => 'POST',
			'header' => "Content-Type: application/json\r\n" . self::authorization( $wgHeraldRelayTokenFile ),
			'content' => $body,
			'timeout' => $wgHeraldTimeoutSeconds,
			'ignore_errors' => true,
		] ] );
		$answer = @file_get_contents( $wgHeraldRelayUrl, false, $context );
		$status = isset( $http_response_header[0] ) ? $http_response_header[0] : 'no answer';
		if ( $answer !== false && strpos( $status, ' 200 ' ) !== false ) {
			return;
		}
		if ( $answer === false && self::spool( $body ) ) {
			return;
		}
		error_log( "Herald: the relay at $wgHeraldRelayUrl did not take $event ($status: $answer): $body" );
	}

	/** The relay's token as a header line: it signs {topic, data} posts only for its holders. */
	private static function authorization( ?string $file ): string {
		$line = $file ? @file( $file, FILE_IGNORE_NEW_LINES ) : false;
		$token = $line ? trim( $line[0] ) : '';
		return $token === '' ? '' : "Authorization: Bearer $token\r\n";
	}

	/** Queues a post no relay answered; true when it was written. Names sort by time. */
	private static function spool( string $body ): bool {
		global $wgHeraldSpoolDir;
		if ( !$wgHeraldSpoolDir || ( !is_dir( $wgHeraldSpoolDir ) && !@mkdir( $wgHeraldSpoolDir, 0700, true ) ) ) {
			return false;
		}
		$name = sprintf( '%s/wiki-%013d-%s.json', $wgHeraldSpoolDir, (int)( microtime( true ) * 1000 ), bin2hex( random_bytes( 4 ) ) );
		// Written under a temporary name and renamed, so a flush never reads half a message.
		if ( @file_put_contents( "$name.tmp", $body ) === false || !@rename( "$name.tmp", $name ) ) {
			return false;
		}
		error_log( "Herald: no relay answered; queued in $name" );
		return true;
	}
}
