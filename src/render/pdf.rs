//! PDF: an edition typeset in the compilation's layout (issue 31).
