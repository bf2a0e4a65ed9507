//! Where each field sits in the 2673 trytes of a transaction.

use core::ops::Range;

/// A field of the transaction layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    SignatureMessageFragment,
    Address,
    Value,
    ObsoleteTag,
    Timestamp,
    CurrentIndex,
    LastIndex,
    Bundle,
    TrunkTransaction,
    BranchTransaction,
    Tag,
    AttachmentTimestamp,
    AttachmentTimestampLowerBound,
    AttachmentTimestampUpperBound,
    Nonce,
}

impl Field {
    /// The field's tryte positions.
    pub(super) const fn trytes(self) -> Range<usize> {
        let (start, len) = match self {
            Field::SignatureMessageFragment => (0, 2187),
            Field::Address => (2187, 81),
            Field::Value => (2268, 27),
            Field::ObsoleteTag => (2295, 27),
            Field::Timestamp => (2322, 9),
            Field::CurrentIndex => (2331, 9),
            Field::LastIndex => (2340, 9),
            Field::Bundle => (2349, 81),
            Field::TrunkTransaction => (2430, 81),
            Field::BranchTransaction => (2511, 81),
            Field::Tag => (2592, 27),
            Field::AttachmentTimestamp => (2619, 9),
            Field::AttachmentTimestampLowerBound => (2628, 9),
            Field::AttachmentTimestampUpperBound => (2637, 9),
            Field::Nonce => (2646, 27),
        };
        start..start + len
    }

    /// The field's trit positions.
    pub(super) const fn trits(self) -> Range<usize> {
        let trytes = self.trytes();
        3 * trytes.start..3 * trytes.end
    }

    /// The field's text within the transaction's trytes.
    pub(super) fn slice(self, transaction: &str) -> &str {
        &transaction[self.trytes()]
    }

    /// The field's name as the IRI API spells it.
    pub(super) const fn name(self) -> &'static str {
        match self {
            Field::SignatureMessageFragment => "signatureMessageFragment",
            Field::Address => "address",
            Field::Value => "value",
            Field::ObsoleteTag => "obsoleteTag",
            Field::Timestamp => "timestamp",
            Field::CurrentIndex => "currentIndex",
            Field::LastIndex => "lastIndex",
            Field::Bundle => "bundle",
            Field::TrunkTransaction => "trunkTransaction",
            Field::BranchTransaction => "branchTransaction",
            Field::Tag => "tag",
            Field::AttachmentTimestamp => "attachmentTimestamp",
            Field::AttachmentTimestampLowerBound => "attachmentTimestampLowerBound",
            Field::AttachmentTimestampUpperBound => "attachmentTimestampUpperBound",
            Field::Nonce => "nonce",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_tile_the_transaction() {
        let fields = [
            Field::SignatureMessageFragment,
            Field::Address,
            Field::Value,
            Field::ObsoleteTag,
            Field::Timestamp,
            Field::CurrentIndex,
            Field::LastIndex,
            Field::Bundle,
            Field::TrunkTransaction,
            Field::BranchTransaction,
            Field::Tag,
            Field::AttachmentTimestamp,
            Field::AttachmentTimestampLowerBound,
            Field::AttachmentTimestampUpperBound,
            Field::Nonce,
        ];
        let mut next = 0;
        for field in fields {
            assert_eq!(field.trytes().start, next, "{}", field.name());
            next = field.trytes().end;
        }
        assert_eq!(next, super::super::TRANSACTION_TRYTES);
    }
}
