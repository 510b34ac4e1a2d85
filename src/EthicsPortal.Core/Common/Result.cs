namespace EthicsPortal.Core.Common;

/// <summary>The kinds of expected failure a page turns into a message; exceptions stay for bugs.</summary>
public enum ErrorKind { Validation, NotFound, Forbidden, Conflict, IllegalTransition }

public sealed record Error(ErrorKind Kind, string Message, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public static Error Validation(string message, IReadOnlyDictionary<string, string[]>? fields = null) => new(ErrorKind.Validation, message, fields);
    public static Error NotFound(string message = "Not found.") => new(ErrorKind.NotFound, message);
    public static Error Forbidden(string message = "You may not do this.") => new(ErrorKind.Forbidden, message);
    public static Error Conflict(string message) => new(ErrorKind.Conflict, message);
}

public class Result
{
    protected Result(Error? error) => Error = error;

    public Error? Error { get; }
    public bool Succeeded => Error is null;

    public static Result Ok() => new(null);
    public static Result Fail(Error error) => new(error);
    public static Result<T> Ok<T>(T value) => new(value, null);

    public static implicit operator Result(Error error) => new(error);
}

public sealed class Result<T> : Result
{
    internal Result(T? value, Error? error) : base(error) => Value = value;

    /// <summary>The value; only meaningful when <see cref="Result.Succeeded"/>.</summary>
    public T? Value { get; }

    public static implicit operator Result<T>(Error error) => new(default, error);
    public static implicit operator Result<T>(T value) => new(value, null);
}
