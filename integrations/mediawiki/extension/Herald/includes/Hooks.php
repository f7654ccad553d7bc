<?php
namespace MediaWiki\Extension\Herald;

use MediaWiki\Revision\RevisionRecord;

/** The wiki's events, as Herald messages (schemas wiki.article.edit 1.1, wiki.page.delete, wiki.upload.complete 1.x). */
class Hooks {
	/** A page was saved with a new revision. */
	public static function onPageSaveComplete( $wikiPage, $user, $summary, $flags, $revisionRecord, $editResult ) {
		if ( $editResult->isNullEdit() ) {
			return;
		}
		$title = $wikiPage->getTitle();
		$data = [
			'title' => $title->getPrefixedText(),
			'user' => $user->getName(),
			'revision' => $revisionRecord->getId(),
			'minor' => $revisionRecord->isMinor(),
			'url' => $title->getFullURL( [ 'oldid' => $revisionRecord->getId() ] ),
		];
		$parentId = $revisionRecord->getParentId();
		$parent = $parentId ? \MediaWiki\MediaWikiServices::getInstance()->getRevisionLookup()->getRevisionById( $parentId ) : null;
		$data['size_delta'] = $revisionRecord->getSize() - ( $parent ? $parent->getSize() : 0 );
		$comment = $summary instanceof \CommentStoreComment ? $summary->text : (string)$summary;
		if ( $comment !== '' ) {
			$data['comment'] = mb_substr( $comment, 0, 1000 );
		}
		RelayClient::publish( 'wiki.article.edit', $data );
	}

	/** A page was deleted. */
	public static function onPageDeleteComplete( $page, $deleter, $reason, $pageID, $deletedRev, $logEntry, $archivedRevisionCount ) {
		RelayClient::publish( 'wiki.page.delete', [
			'title' => \Title::castFromPageIdentity( $page )->getPrefixedText(),
			'user' => $deleter->getUser()->getName(),
			'reason' => mb_substr( (string)$reason, 0, 1000 ),
		] );
	}

	/** A file was uploaded. */
	public static function onUploadComplete( $uploadBase ) {
		$file = $uploadBase->getLocalFile();
		RelayClient::publish( 'wiki.upload.complete', [
			'filename' => $file->getName(),
			'user' => $file->getUploader( RevisionRecord::RAW ) ? $file->getUploader( RevisionRecord::RAW )->getName() : 'unknown',
			'size' => (int)$file->getSize(),
			'mime' => (string)$file->getMimeType(),
			'url' => wfExpandUrl( $file->getFullUrl(), PROTO_HTTP ),
		] );
	}
}
