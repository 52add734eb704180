@extends('emails.layout')

@section('content')
    {{-- Auto-reply sent when a new conversation starts --}}
    <p>{{ __('Dear :name,', ['name' => $customer->first_name]) }}</p>
    <p>@lang('Your call is important to us. We will reply within one business day.')</p>
    @if ($mailbox->signature)
        {!! $mailbox->signature !!}
    @endif
    <p>{{ __('messages.footer') }}</p>
@endsection
